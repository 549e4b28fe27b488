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
 * lengths {@code [N]}. Output: the reduced loss ({@code [N]} for NONE, a scalar otherwise). Its gradient is a
 * {@link CtcLossGradientOp}, which {@link #doDiff} puts in the backward graph with the incoming gradient, so any
 * use of the loss (weighted, summed with other terms) differentiates correctly.
 * <p>
 * One kernel run serves both passes: in a graph being differentiated (SameDiff's copy of the graph for
 * gradients and training) it gives the loss and the gradient together, and the gradient is kept for the backward
 * op ({@link GradientHandOff}), since a second run for the backward pass costs more than the whole eager call.
 * Plain inference computes the loss alone. One output per op, because of how {@link JavaComputedOp} copies
 * outputs. Build it with {@link Ctc#loss(SameDiff, String, SDVariable, SDVariable, SDVariable, SDVariable,
 * CtcOptions)}.
 */
public final class CtcLossOp extends JavaComputedOp {
    /** The op's name in saved graphs. */
    public static final String OP_NAME = "dl4jctc_ctc_loss";

    static {
        CtcOpRegistry.register();
    }

    /** Whether SameDiff asked this node for its gradient: then its forward runs keep the gradient. */
    private transient boolean differentiated;

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

    /**
     * The loss; its gradient is computed too and kept for the backward op when this node is differentiated (the
     * copy of the graph that SameDiff builds for gradients and training), not for plain inference.
     */
    @Override
    protected INDArray[] compute(List<INDArray> in, long[] iArgs) {
        CtcOptions options = CtcOpArguments.options(iArgs);
        boolean fromLogits = CtcOpArguments.fromLogits(iArgs);
        if (!differentiated) {
            return new INDArray[]{CtcLossEngine.loss(in.get(0), in.get(1), in.get(2), in.get(3), options,
                    fromLogits)};
        }
        return new INDArray[]{GradientHandOff.computeAndKeep(getOwnName(), in, options, fromLogits).loss()};
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        differentiated = true;
        SDVariable[] in = args();
        SDVariable scoresGradient = new CtcLossGradientOp(sameDiff, in, outputVariables()[0], gradients.get(0),
                iArgs(), getOwnName()).outputVariables()[0];
        return Arrays.asList(scoresGradient, sameDiff.zerosLike(in[1]), sameDiff.zerosLike(in[2]),
                sameDiff.zerosLike(in[3]));
    }
}
