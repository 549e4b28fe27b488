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
    /** Whether {@link #values} is a packed [T, N, C] array seen through a permutation. */
    private final boolean timeMajor;
    private final INDArray gradientOut;

    /**
     * @param timeMajor   whether values is a packed [T, N, C] array seen as [N, T, C] (said, not read from the
     *                    strides: with N = 1 they cannot tell)
     * @param gradientOut the caller's gradient array seen as {@code [N, T, C]}, or null
     */
    NtcScores(INDArray values, boolean logits, boolean reusableGradient, boolean timeMajor, INDArray gradientOut) {
        this.values = values;
        this.logits = logits;
        this.reusableGradient = reusableGradient;
        this.timeMajor = timeMajor;
        this.gradientOut = gradientOut;
    }

    /**
     * An uninitialised {@code [N, T, C]} array laid out in memory as the scores are, so that the gradient goes
     * back to the caller's layout without a copy; reusable when {@link #reusableGradient}; the caller's own when
     * given. A new one per call otherwise: call it once.
     */
    INDArray newGradientArray() {
        if (gradientOut != null) {
            return gradientOut;
        }
        long[] shape = values.shape();
        long[] physical = timeMajor ? new long[]{shape[1], shape[0], shape[2]} : shape;
        INDArray array = reusableGradient
                ? ReusableArrays.get(ReusableArrays.Role.GRADIENT_NTC, values.dataType(), physical)
                : Nd4j.createUninitialized(values.dataType(), physical);
        return timeMajor ? array.permute(1, 0, 2) : array;
    }
}
