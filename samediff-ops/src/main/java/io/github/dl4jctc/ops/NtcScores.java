package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The scores of one call in the kernels' layout: {@code [N, T, C]}, FLOAT or DOUBLE, classes contiguous (packed
 * NTC, or packed TNC seen through {@code permute(1, 0, 2)}: the caller's layout, not copied), whether they are
 * logits (else log-probabilities), and whether the kernel may build the gradient in a per-thread
 * {@link ReusableArrays} array (when the caller copies it before its next call).
 */
final class NtcScores {
    final INDArray values;
    final boolean logits;
    final boolean reusableGradient;
    private final INDArray gradientOut;

    NtcScores(INDArray values, boolean logits, boolean reusableGradient) {
        this(values, logits, reusableGradient, null);
    }

    /** @param gradientOut the caller's gradient array seen as {@code [N, T, C]}, or null */
    NtcScores(INDArray values, boolean logits, boolean reusableGradient, INDArray gradientOut) {
        this.values = values;
        this.logits = logits;
        this.reusableGradient = reusableGradient;
        this.gradientOut = gradientOut;
    }

    /**
     * An uninitialised {@code [N, T, C]} array laid out in memory as the scores are, so that the gradient goes
     * back to the caller's layout without a copy; reusable when {@link #reusableGradient}; the caller's own when
     * given.
     */
    INDArray gradientArray() {
        if (gradientOut != null) {
            return gradientOut;
        }
        boolean timeMajor = values.stride(0) < values.stride(1);   // a [T, N, C] array seen as [N, T, C]
        long[] shape = values.shape();
        long[] physical = timeMajor ? new long[]{shape[1], shape[0], shape[2]} : shape;
        INDArray array = reusableGradient
                ? ReusableArrays.get(ReusableArrays.Role.GRADIENT_NTC, values.dataType(), physical)
                : Nd4j.createUninitialized(values.dataType(), physical);
        return timeMajor ? array.permute(1, 0, 2) : array;
    }
}
