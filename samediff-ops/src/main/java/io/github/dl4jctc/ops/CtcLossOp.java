package io.github.dl4jctc.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/**
 * SameDiff op for the CTC loss with PyTorch's semantics.
 * <p>
 * Inputs: scores (log-probabilities, or logits when built with {@code fromLogits}) {@code [T, N, C]} or
 * {@code [N, T, C]}, targets ({@code [N, S]} padded or 1-D concatenated), input lengths {@code [N]}, target
 * lengths {@code [N]}. Outputs: 0, the reduced loss ({@code [N]} for NONE, a scalar otherwise); 1, its gradient
 * with respect to the scores (shape and layout of the scores; for NONE, each sample's loss's gradient on that
 * sample's slice). {@link #doDiff} multiplies output 1 by the incoming gradient, so any use of the loss
 * (weighted, summed with other terms) differentiates correctly.
 * <p>
 * Why the gradient is an output rather than a separate gradient op: both come from one forward-backward run,
 * and a gradient op would repeat that run (measured: forward + backward cost 2.2-3.6x the eager call). Computing
 * it also when only the loss is asked for costs little: the logits' softmax is needed for the loss anyway. Build it with {@link Ctc#loss(SameDiff, String, SDVariable,
 * SDVariable, SDVariable, SDVariable, CtcOptions)}.
 */
public final class CtcLossOp extends JavaComputedOp {
    /** The op's name in saved graphs. */
    public static final String OP_NAME = "dl4jctc_ctc_loss";

    static {
        CtcOpRegistry.register();
    }

    /** For deserialisation. */
    public CtcLossOp() {
    }

    CtcLossOp(SameDiff sameDiff, SDVariable scores, SDVariable targets, SDVariable inputLengths,
              SDVariable targetLengths, CtcOptions options, boolean fromLogits) {
        super(sameDiff, new SDVariable[]{scores, targets, inputLengths, targetLengths},
                CtcOpArguments.encode(options, fromLogits));
    }

    @Override
    public String opName() {
        return OP_NAME;
    }

    @Override
    public int getNumOutputs() {
        return 2;
    }

    @Override
    protected INDArray[] compute(List<INDArray> in, long[] iArgs) {
        // libnd4j's identity_n copies both outputs into SameDiff's arrays before this thread's next call
        CtcResult r = CtcLossEngine.lossAndGradientToCopy(in.get(0), in.get(1), in.get(2), in.get(3),
                CtcOpArguments.options(iArgs), CtcOpArguments.fromLogits(iArgs));
        return new INDArray[]{r.loss(), r.gradient()};
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] in = args();
        long[] iArgs = iArgs();
        CtcOptions options = CtcOpArguments.options(iArgs);
        SDVariable perExample = outputVariables()[1];
        SDVariable incoming = gradients.get(0);
        if (options.reduction() == CtcReduction.NONE) {
            // Incoming gradient [N] broadcast over the batch axis of [T, N, C] or [N, T, C].
            int batchAxis = options.layout() == CtcLayout.TNC ? 1 : 0;
            incoming = batchAxis == 1
                    ? sameDiff.expandDims(sameDiff.expandDims(incoming, 0), 2)
                    : sameDiff.expandDims(sameDiff.expandDims(incoming, 1), 2);
        }
        SDVariable scoresGradient = perExample.mul(incoming);
        return Arrays.asList(scoresGradient, sameDiff.zerosLike(in[1]), sameDiff.zerosLike(in[2]),
                sameDiff.zerosLike(in[3]));
    }
}
