package io.github.dl4jctc.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * The backward half of {@link CtcLossOp}: the gradient of the loss with respect to the scores, times the
 * incoming gradient. Inputs: the forward op's four inputs, its loss output (so that it runs after the forward op)
 * and the incoming gradient (a scalar, or {@code [N]} for reduction NONE); output: the scores' gradient, shaped
 * and laid out as the scores.
 * <p>
 * The gradient is the one the forward run kept ({@link GradientHandOff}) when it is for the same arrays, or
 * computed again otherwise (an op whose forward node is unknown, e.g. one rebuilt from a file). An incoming
 * gradient of exactly 1 (the loss is the graph's loss) costs no multiplication.
 */
public final class CtcLossGradientOp extends JavaComputedOp {
    /** The op's name in saved graphs. */
    public static final String OP_NAME = "dl4jctc_ctc_loss_grad";

    static {
        CtcOpRegistry.register();
    }

    /** The forward node whose kept gradient is used; not saved, null after deserialisation. */
    private transient String forwardNode;

    /** For deserialisation. */
    public CtcLossGradientOp() {
    }

    CtcLossGradientOp(SameDiff sameDiff, SDVariable[] forwardInputs, SDVariable loss, SDVariable incoming,
                      long[] iArgs, String forwardNode) {
        super(sameDiff, new SDVariable[]{forwardInputs[0], forwardInputs[1], forwardInputs[2], forwardInputs[3],
                loss, incoming}, iArgs);
        this.forwardNode = forwardNode;
    }

    @Override
    public String opName() {
        return OP_NAME;
    }

    @Override
    protected INDArray[] compute(List<INDArray> in, long[] iArgs) {
        CtcOptions options = CtcOpArguments.options(iArgs);
        List<INDArray> forwardInputs = in.subList(0, 4);
        INDArray gradient = GradientHandOff.find(forwardNode, forwardInputs);
        if (gradient == null) {
            gradient = CtcLossEngine.lossAndGradientToCopy(in.get(0), in.get(1), in.get(2), in.get(3), options,
                    CtcOpArguments.fromLogits(iArgs)).gradient();
        }
        return new INDArray[]{times(gradient, in.get(5), options)};
    }

    /** {@code gradient} times the incoming gradient, a new array unless that is 1 everywhere. */
    private static INDArray times(INDArray gradient, INDArray incoming, CtcOptions options) {
        boolean ones = true;
        for (long i = 0; i < incoming.length() && ones; i++) ones = incoming.getDouble(i) == 1.0;
        if (ones) {
            return gradient;
        }
        INDArray factor;
        if (options.reduction() == CtcReduction.NONE) {
            // one factor per sample, along the batch axis of [T, N, C] or [N, T, C]
            long n = incoming.length();
            factor = incoming.castTo(gradient.dataType())
                    .reshape(options.layout() == CtcLayout.TNC ? new long[]{1, n, 1} : new long[]{n, 1, 1});
        } else {
            if (incoming.length() != 1) {
                throw new IllegalStateException("incoming gradient: got shape " + Arrays.toString(incoming.shape())
                        + ", expected a scalar for reduction " + options.reduction());
            }
            factor = Nd4j.scalar(gradient.dataType(), incoming.getDouble(0));
        }
        INDArray out = Nd4j.createUninitialized(gradient.dataType(), gradient.shape(), 'c');
        return Nd4j.exec(new MulOp(gradient, factor, out))[0];
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        throw new UnsupportedOperationException("Second derivatives of the CTC loss are not implemented");
    }
}
