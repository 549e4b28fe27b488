package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The scores of one call in the kernels' layout: {@code [N, T, C]} packed in c order, FLOAT or DOUBLE, whether
 * they are logits (else log-probabilities), and whether the kernel may build the gradient in a per-thread
 * {@link ReusableArrays} array (when the caller copies it, or permutes it into a fresh one, before its next call).
 */
final class NtcScores {
    final INDArray values;
    final boolean logits;
    final boolean reusableGradient;

    NtcScores(INDArray values, boolean logits, boolean reusableGradient) {
        this.values = values;
        this.logits = logits;
        this.reusableGradient = reusableGradient;
    }
}
