package io.github.dl4jctc.layer;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Reads sequence lengths from DL4J-style prefix masks: a {@code [N, L]} array of 1s followed by 0s per row, the
 * convention of features masks ({@code L = T} frames) and CTC labels masks ({@code L = S} target positions).
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
        if (mask == null) {
            int[] lengths = new int[Math.toIntExact(n)];
            Arrays.fill(lengths, Math.toIntExact(l));
            return lengths;
        }
        if (mask.rank() != 2 || mask.size(0) != n || mask.size(1) != l) {
            throw new IllegalArgumentException(argumentName + " must have shape [" + n + ", " + l
                    + "] (or be null), got " + Arrays.toString(mask.shape()));
        }
        int[] lengths = new int[Math.toIntExact(n)];
        if (l == 0) {
            return lengths;
        }
        double[][] values = mask.toDoubleMatrix();
        for (int row = 0; row < values.length; row++) {
            int length = 0;
            boolean ended = false;
            for (int col = 0; col < values[row].length; col++) {
                double v = values[row][col];
                if (v != 0.0 && v != 1.0) {
                    throw new IllegalArgumentException(argumentName + " must hold only 0 and 1, got " + v + " at ["
                            + row + ", " + col + "]");
                }
                if (v == 1.0) {
                    if (ended) {
                        throw new IllegalArgumentException(argumentName + " rows must be 1s followed by 0s (a prefix"
                                + " mask), but row " + row + " has a 1 at column " + col + " after a 0");
                    }
                    length++;
                } else {
                    ended = true;
                }
            }
            lengths[row] = length;
        }
        return lengths;
    }
}
