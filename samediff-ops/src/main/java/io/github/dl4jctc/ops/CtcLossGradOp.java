package io.github.dl4jctc.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * SameDiff op for the gradient of {@link CtcLossOp}'s output with respect to its scores (log-probabilities or
 * logits), same shape and layout as the scores, before multiplication by the incoming gradient. For NONE it is
 * the gradient of each sample's loss (which only touches that sample's slice).
 */
public final class CtcLossGradOp extends JavaComputedOp {
    /** The op's name in saved graphs. */
    public static final String OP_NAME = "dl4jctc_ctc_loss_grad";

    static {
        CtcOpRegistry.register();
    }

    /** For deserialisation. */
    public CtcLossGradOp() {
    }

    CtcLossGradOp(SameDiff sameDiff, SDVariable[] lossInputs, long[] iArgs) {
        super(sameDiff, lossInputs, iArgs);
    }

    @Override
    public String opName() {
        return OP_NAME;
    }

    @Override
    protected INDArray compute(List<INDArray> in, long[] iArgs) {
        return CtcLossEngine.lossAndGradient(in.get(0), in.get(1), in.get(2), in.get(3),
                CtcOpArguments.options(iArgs), CtcOpArguments.fromLogits(iArgs)).gradient();
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        throw new UnsupportedOperationException("Second derivatives of the CTC loss are not supported");
    }
}
