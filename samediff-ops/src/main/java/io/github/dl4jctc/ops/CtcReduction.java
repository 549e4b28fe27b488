package io.github.dl4jctc.ops;

/**
 * How per-sample CTC losses are combined, as in PyTorch's {@code ctc_loss(reduction=...)}.
 */
public enum CtcReduction {
    /** Per-sample negative log-likelihoods, shape {@code [N]}. */
    NONE,
    /** Each sample's loss divided by {@code max(targetLength, 1)}, then the mean over the batch (a scalar). */
    MEAN,
    /** Sum of the per-sample losses (a scalar). */
    SUM
}
