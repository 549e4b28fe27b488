package io.github.dl4jctc.ops;

/**
 * Axis order of the log-probabilities (or logits) given to the CTC loss.
 */
public enum CtcLayout {
    /** Time-major {@code [T, N, C]}, PyTorch's layout (the default). */
    TNC,
    /** Batch-major {@code [N, T, C]}. */
    NTC
}
