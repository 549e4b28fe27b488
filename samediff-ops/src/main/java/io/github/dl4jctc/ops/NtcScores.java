package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The scores of one call in the kernels' layout: {@code [N, T, C]} packed in c order, FLOAT or DOUBLE, and
 * whether they are logits (else log-probabilities).
 */
final class NtcScores {
    final INDArray values;
    final boolean logits;

    NtcScores(INDArray values, boolean logits) {
        this.values = values;
        this.logits = logits;
    }
}
