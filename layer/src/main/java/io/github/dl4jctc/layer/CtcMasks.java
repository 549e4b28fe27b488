package io.github.dl4jctc.layer;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * DL4J-style prefix masks: a {@code [N, L]} array of 1s followed by 0s per row, the convention of features masks
 * ({@code L = T} frames) and CTC labels masks ({@code L = S} target positions). The one place that reads them.
 */
public final class CtcMasks {

    private CtcMasks() {
    }

    /**
     * @param mask         {@code [N, L]} holding only 0 and 1, each row a run of 1s followed by 0s; null means every
     *                     row has length L
     * @param argumentName the name used in error messages, e.g. "featuresMask"
     * @param n            the expected number of rows (minibatch size)
     * @param l            the expected number of columns (sequence length)
     * @return the N lengths (number of 1s per row)
     * @throws IllegalArgumentException if the mask has another shape, holds a value other than 0 or 1, or a row has
     *                                  a 1 after a 0
     */
    public static int[] prefixLengths(INDArray mask, String argumentName, long n, long l) {
        return prefixLengths(mask, argumentName, "[N, L]", n, l, "");
    }

    /**
     * {@link #prefixLengths(INDArray, String, long, long)} with the expected shape described in the caller's terms
     * ({@code "[N, T], one entry per frame"}) and a suffix (naming the layer) appended to every message.
     */
    static int[] prefixLengths(INDArray mask, String name, String expectedShape, long n, long width, String where) {
        int rows = Math.toIntExact(n);
        int[] lengths = new int[rows];
        if (mask == null) {
            Arrays.fill(lengths, Math.toIntExact(width));
            return lengths;
        }
        if (mask.rank() != 2 || mask.size(0) != n || mask.size(1) != width) {
            throw new IllegalArgumentException(name + ": got shape " + Arrays.toString(mask.shape()) + ", expected "
                    + expectedShape + " = [" + n + ", " + width + "]" + where);
        }
        if (width == 0) {
            return lengths;
        }
        double[] values = HostValues.of(mask);
        int w = (int) width;
        for (int i = 0; i < rows; i++) {
            int start = i * w;
            int length = 0;
            while (length < w && values[start + length] == 1.0) {
                length++;
            }
            for (int j = length; j < w; j++) {
                if (values[start + j] != 0.0) {
                    throw new IllegalArgumentException(name + ": example " + i + ", entry " + j + ": got "
                            + values[start + j] + ", expected 1s followed by 0s"
                            + where);
                }
            }
            lengths[i] = length;
        }
        return lengths;
    }

    /**
     * The frames a CTC output layer used, read from its output: the layer zeroes the probabilities of masked
     * frames, and a softmax frame never sums to 0, so each sample's frames run up to its last frame with a
     * non-zero sum.
     *
     * @param probabilities {@code [N, C, T]} (NCW) or {@code [N, T, C]} (NWC) output of a CTC output layer
     * @param format        the layout of {@code probabilities}
     * @return the {@code [N, T]} FLOAT prefix mask, or null when no sample ends early (every frame used)
     * @throws IllegalArgumentException if {@code probabilities} is not rank 3
     */
    public static INDArray ofUsedFrames(INDArray probabilities, RNNFormat format) {
        if (probabilities == null || probabilities.rank() != 3) {
            throw new IllegalArgumentException("probabilities: got "
                    + (probabilities == null ? "null" : "shape " + Arrays.toString(probabilities.shape()))
                    + ", expected rank 3 " + (format == RNNFormat.NCW ? "[N, C, T]" : "[N, T, C]"));
        }
        int classAxis = format == RNNFormat.NCW ? 1 : 2;
        int n = Math.toIntExact(probabilities.size(0));
        int t = Math.toIntExact(probabilities.size(3 - classAxis));
        if (t == 0) {
            return null;
        }
        double[] frameSums = HostValues.of(probabilities.castTo(DataType.DOUBLE).sum(classAxis));
        float[] mask = new float[n * t];
        boolean anyPadding = false;
        for (int i = 0; i < n; i++) {
            int length = t;
            while (length > 0 && frameSums[i * t + length - 1] == 0) {
                length--;
            }
            anyPadding |= length < t;
            Arrays.fill(mask, i * t, i * t + length, 1f);
        }
        return anyPadding ? Nd4j.create(mask, new long[]{n, t}, 'c') : null;
    }
}
