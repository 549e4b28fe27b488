package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.HostValues;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * One minibatch's CTC targets and lengths, built from DL4J's labels, labels mask and features mask and checked
 * before they reach the op, so that errors speak of labels and masks rather than of the op's arguments.
 * <p>
 * {@link #targets()} is {@code [N, S]} int32 with each target's labels first and 0 past its length (PyTorch ignores
 * the padding; writing 0 there keeps arbitrary padding values such as -1 or NaN away from the op);
 * {@link #inputLengths()} and {@link #targetLengths()} are {@code [N]} int32.
 */
final class CtcTargetBatch {
    private final INDArray targets;
    private final INDArray inputLengths;
    private final INDArray targetLengths;

    private CtcTargetBatch(INDArray targets, INDArray inputLengths, INDArray targetLengths) {
        this.targets = targets;
        this.inputLengths = inputLengths;
        this.targetLengths = targetLengths;
    }

    /**
     * @param labels       class indices {@code [N, S]} or {@code [N, 1, S]}, any numeric type
     * @param labelsMask   {@code [N, S]} 1s then 0s, or null for "every target has S labels"
     * @param featuresMask {@code [N, T]} 1s then 0s, or null for "every input has T frames"
     * @param n            minibatch size of the layer input
     * @param t            number of frames of the layer input
     * @param numClasses   number of classes C, the blank included
     * @param blank        index of the blank class
     * @param where        suffix naming the layer in messages
     * @throws IllegalArgumentException for a label or mask of the wrong shape, a mask that is not 1s then 0s, or
     *                                  a label (within its target length) that is not an integer in [0, C) or is
     *                                  the blank
     */
    static CtcTargetBatch of(INDArray labels, INDArray labelsMask, INDArray featuresMask, long n, long t,
                             long numClasses, int blank, String where) {
        double[][] labelRows = labelRows(labels, n, where);
        int s = labelRows.length == 0 ? 0 : labelRows[0].length;
        int[] targetLengths = labelsMask == null
                ? filled((int) n, s)
                : prefixLengths(labelsMask, n, s, "labels mask", "[N, S], one entry per label", where);
        int[] inputLengths = featuresMask == null
                ? filled((int) n, (int) t)
                : prefixLengths(featuresMask, n, t, "features mask", "[N, T], one entry per frame", where);

        int[][] targets = new int[(int) n][s];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < targetLengths[i]; j++) {
                targets[i][j] = checkedLabel(labelRows[i][j], i, j, numClasses, blank, where);
            }
        }
        return new CtcTargetBatch(int2d(targets, n, s), Nd4j.createFromArray(inputLengths),
                Nd4j.createFromArray(targetLengths));
    }

    INDArray targets() {
        return targets;
    }

    INDArray inputLengths() {
        return inputLengths;
    }

    INDArray targetLengths() {
        return targetLengths;
    }

    /**
     * The input lengths of a features mask, for callers that only apply it ({@code output}): checked by the same
     * rules as for training (shape {@code [N, T]}, 1s then 0s), so that a mask the loss would refuse never scales
     * probabilities silently.
     */
    static int[] inputLengths(INDArray featuresMask, long n, long t, String where) {
        return prefixLengths(featuresMask, n, t, "features mask", "[N, T], one entry per frame", where);
    }

    private static double[][] labelRows(INDArray labels, long n, String where) {
        if (!labels.dataType().isNumerical()) {
            throw new IllegalArgumentException("labels: got data type " + labels.dataType()
                    + ", expected class indices stored as numbers (e.g. FLOAT or INT) " + where);
        }
        boolean padded2d = labels.rank() == 2;
        boolean timeSeries = labels.rank() == 3 && labels.size(1) == 1;
        if (!(padded2d || timeSeries) || labels.size(0) != n) {
            throw new IllegalArgumentException("labels: got shape " + Arrays.toString(labels.shape())
                    + ", expected [N, S] or [N, 1, S] class indices with N = " + n + " (the input minibatch size) "
                    + where);
        }
        long s = padded2d ? labels.size(1) : labels.size(2);
        if (s == 0) {
            return new double[(int) n][0];
        }
        return hostRows(labels, n, s);
    }

    private static int checkedLabel(double value, int example, int position, long numClasses, int blank,
                                    String where) {
        if (value != Math.rint(value) || value < 0 || value >= numClasses || value == blank) {
            throw new IllegalArgumentException("labels: example " + example + ", position " + position + ": got "
                    + value + ", expected an integer class index in [0, " + numClasses + ") other than the blank "
                    + blank + " " + where);
        }
        return (int) value;
    }

    /** Lengths from a mask of 1s followed by 0s; anything else is an error. */
    private static int[] prefixLengths(INDArray mask, long n, long width, String name, String expected,
                                       String where) {
        if (mask.rank() != 2 || mask.size(0) != n || mask.size(1) != width) {
            throw new IllegalArgumentException(name + ": got shape " + Arrays.toString(mask.shape())
                    + ", expected " + expected + " = [" + n + ", " + width + "] " + where);
        }
        int[] lengths = new int[(int) n];
        if (width == 0) {
            return lengths;
        }
        double[][] rows = hostRows(mask, n, width);
        for (int i = 0; i < n; i++) {
            double[] row = rows[i];
            int length = 0;
            while (length < row.length && row[length] == 1.0) {
                length++;
            }
            for (int j = length; j < row.length; j++) {
                if (row[j] != 0.0) {
                    throw new IllegalArgumentException(name + ": example " + i + " is " + Arrays.toString(row)
                            + ", expected 1s followed by 0s (entry " + j + " is " + row[j] + ") " + where);
                }
            }
            lengths[i] = length;
        }
        return lengths;
    }

    /**
     * The values of an array of {@code n * width} elements as n rows, in c order, read in one copy (a
     * {@code getRow} per example cost ~1 ms per step at N = 32).
     */
    private static double[][] hostRows(INDArray a, long n, long width) {
        double[] flat = HostValues.of(a);
        double[][] rows = new double[(int) n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, (int) (i * width), (int) ((i + 1) * width));
        }
        return rows;
    }

    private static int[] filled(int n, int value) {
        int[] out = new int[n];
        Arrays.fill(out, value);
        return out;
    }

    private static INDArray int2d(int[][] values, long n, int s) {
        if (s == 0) {
            return Nd4j.create(DataType.INT, n, 0);
        }
        return Nd4j.createFromArray(values);
    }
}
