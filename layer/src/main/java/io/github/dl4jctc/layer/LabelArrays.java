package io.github.dl4jctc.layer;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** Reads padded CTC label arrays ({@code [N, S]} or {@code [N, 1, S]}, class indices as numbers) into Java arrays. */
final class LabelArrays {

    private LabelArrays() {
    }

    /**
     * @return per sample, the unmasked class indices
     * @throws IllegalArgumentException on a wrong shape or an unmasked value that is not an integral class index in
     *                                  {@code [0, numClasses)} other than {@code blankIndex}
     */
    static int[][] toSequences(INDArray labels, INDArray labelsMask, int numClasses, int blankIndex) {
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        INDArray labels2d;
        if (labels.rank() == 2) {
            labels2d = labels;
        } else if (labels.rank() == 3 && labels.size(1) == 1) {
            labels2d = labels.reshape(labels.size(0), labels.size(2));
        } else {
            throw new IllegalArgumentException("labels must have shape [N, S] or [N, 1, S], got "
                    + Arrays.toString(labels.shape()));
        }
        long n = labels2d.size(0);
        long s = labels2d.size(1);
        int[] lengths = CtcMasks.prefixLengths(labelsMask, "labelsMask", n, s);
        double[][] values = s == 0 ? new double[(int) n][0] : labels2d.toDoubleMatrix();
        int[][] sequences = new int[(int) n][];
        for (int row = 0; row < n; row++) {
            sequences[row] = new int[lengths[row]];
            for (int col = 0; col < lengths[row]; col++) {
                double v = values[row][col];
                if (v != Math.rint(v) || v < 0 || v >= numClasses || v == blankIndex) {
                    throw new IllegalArgumentException("labels must hold integral class indices in [0, " + numClasses
                            + ") other than blank " + blankIndex + " at unmasked positions, got " + v + " at ["
                            + row + ", " + col + "]");
                }
                sequences[row][col] = (int) v;
            }
        }
        return sequences;
    }
}
