package io.github.dl4jctc.layer;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Reads padded CTC labels ({@code [N, S]} or {@code [N, 1, S]}, class indices stored as numbers) and their labels
 * mask into Java arrays: the one reader of labels, for the layers and for {@link CtcVocabulary#fromLabels}.
 */
final class LabelArrays {

    private LabelArrays() {
    }

    /**
     * @param labels     {@code [N, S]} or {@code [N, 1, S]} class indices, any numeric type
     * @param labelsMask {@code [N, S]} 1s then 0s, or null for "every target has S labels"
     * @param maskName   the mask's name in messages
     * @param n          the expected N, or -1 to take it from {@code labels}
     * @param numClasses number of classes C, the blank included
     * @param blank      index of the blank class
     * @param where      suffix of every message (naming the layer), or ""
     * @return per sample, its unmasked class indices
     * @throws IllegalArgumentException on a null or wrongly shaped array, a mask that is not 1s then 0s, or an
     *                                  unmasked label that is not an integer in {@code [0, C)} or is the blank
     */
    static int[][] toSequences(INDArray labels, INDArray labelsMask, String maskName, long n, long numClasses, int blank,
                               String where) {
        long s = width(labels, n, where);
        long rows = labels.size(0);
        int[] lengths = CtcMasks.prefixLengths(labelsMask, maskName, "[N, S], one entry per label", rows, s,
                where);
        double[] values = s == 0 ? new double[0] : HostValues.of(labels);
        int[][] sequences = new int[(int) rows][];
        for (int i = 0; i < rows; i++) {
            int[] sequence = new int[lengths[i]];
            int start = (int) (i * s);
            for (int j = 0; j < sequence.length; j++) {
                double v = values[start + j];
                if (v != Math.rint(v) || v < 0 || v >= numClasses || v == blank) {
                    throw new IllegalArgumentException("labels: example " + i + ", position " + j + ": got " + v
                            + ", expected an integer class index in [0, " + numClasses + ") other than the blank "
                            + blank + where);
                }
                sequence[j] = (int) v;
            }
            sequences[i] = sequence;
        }
        return sequences;
    }

    /** S, after checking that {@code labels} is {@code [N, S]} or {@code [N, 1, S]} numbers (with N = n if n >= 0). */
    static long width(INDArray labels, long n, String where) {
        if (labels == null) {
            throw new IllegalArgumentException("labels: got null, expected [N, S] or [N, 1, S] class indices" + where);
        }
        if (!labels.dataType().isNumerical()) {
            throw new IllegalArgumentException("labels: got data type " + labels.dataType()
                    + ", expected class indices stored as numbers (e.g. FLOAT or INT)" + where);
        }
        boolean padded2d = labels.rank() == 2;
        boolean timeSeries = labels.rank() == 3 && labels.size(1) == 1;
        if (!(padded2d || timeSeries) || (n >= 0 && labels.size(0) != n)) {
            throw new IllegalArgumentException("labels: got shape " + Arrays.toString(labels.shape())
                    + ", expected [N, S] or [N, 1, S] class indices"
                    + (n >= 0 ? " with N = " + n + " (the input minibatch size)" : "") + where);
        }
        return padded2d ? labels.size(1) : labels.size(2);
    }
}
