package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A CTC loss together with its gradient.
 * <p>
 * The loss is {@code [N]} for {@link CtcReduction#NONE} and a scalar otherwise; the gradient has the shape and
 * layout of the array it was taken with respect to (log-probabilities or logits), and is the gradient of
 * the <em>reduced</em> loss (for NONE: of the sum of the per-sample losses).
 */
public final class CtcResult {
    private final INDArray loss;
    private final INDArray gradient;

    public CtcResult(INDArray loss, INDArray gradient) {
        this.loss = loss;
        this.gradient = gradient;
    }

    public INDArray loss() {
        return loss;
    }

    public INDArray gradient() {
        return gradient;
    }
}
