package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Checks every CTC argument in Java and turns the integer arguments into a {@link CtcBatch}.
 * <p>
 * libnd4j's kernel reads labels as raw indices without range checks (a bad label reads out of bounds and can
 * kill the JVM) and silently remaps or truncates some arguments, so nothing reaches native code before it has
 * passed through here. Each failure is an {@link IllegalArgumentException} naming the argument, the value and
 * what was expected.
 */
final class CtcInputValidator {
    private CtcInputValidator() {
    }

    /**
     * @param scores log-probabilities or logits, {@code [T, N, C]} or {@code [N, T, C]} per the options' layout
     */
    static CtcBatch validate(INDArray scores, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                             CtcOptions options, String scoresName) {
        require(options != null, "options: got null, expected CtcOptions (e.g. CtcOptions.defaults())");
        require(scores != null, scoresName + ": got null, expected a floating-point array of rank 3");
        require(targets != null, "targets: got null, expected [N, S] padded or 1-D concatenated class indices");
        require(inputLengths != null, "inputLengths: got null, expected a 1-D array [N]");
        require(targetLengths != null, "targetLengths: got null, expected a 1-D array [N]");
        require(scores.rank() == 3, scoresName + ": got shape " + Arrays.toString(scores.shape()) + ", expected rank 3 ("
                + (options.layout() == CtcLayout.TNC ? "[T, N, C]" : "[N, T, C]") + ")");
        require(scores.dataType().isFPType(), scoresName + ": got data type " + scores.dataType()
                + ", expected a floating-point type (FLOAT, DOUBLE, HALF or BFLOAT16)");
        long[] shape = scores.shape();
        int t = (int) (options.layout() == CtcLayout.TNC ? shape[0] : shape[1]);
        int n = (int) (options.layout() == CtcLayout.TNC ? shape[1] : shape[0]);
        int c = (int) shape[2];
        require(t >= 1 && n >= 1 && c >= 1, scoresName + ": got shape " + Arrays.toString(shape)
                + ", expected T >= 1, N >= 1 and C >= 1");
        require(options.blank() < c, "blank: got " + options.blank() + ", expected an index in [0, " + c + ") (C = " + c + ")");

        int[] il = lengths(inputLengths, "inputLengths", n, t, "T = " + t);
        int[] tl = targets.rank() == 2
                ? lengths(targetLengths, "targetLengths", n, targets.size(1), "S = " + targets.size(1)
                        + " (the padded target width)")
                : lengths(targetLengths, "targetLengths", n, Integer.MAX_VALUE, Integer.MAX_VALUE + "");
        int[][] padded = paddedTargets(targets, tl, n, c);
        // Per-label checks throw directly: their messages are built only on failure.
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < tl[i]; s++) {
                int label = padded[i][s];
                if (label < 0 || label >= c) {
                    throw new IllegalArgumentException("targets: got " + label + " at sample " + i + ", position "
                            + s + ", expected a class index in [0, " + c + ")");
                }
                if (label == options.blank()) {
                    throw new IllegalArgumentException("targets: got the blank index " + label + " at sample " + i
                            + ", position " + s + ", expected a non-blank class index");
                }
            }
        }
        return new CtcBatch(n, t, c, options.blank(), padded, il, tl);
    }

    /** Lengths in {@code [0, max]}; {@code maxName} says what max is, e.g. "T = 50". */
    private static int[] lengths(INDArray lengths, String name, int n, long max, String maxName) {
        requireNumeric(lengths, name);
        require(lengths.rank() == 1 && lengths.length() == n, name + ": got shape " + Arrays.toString(lengths.shape())
                + ", expected [N] = [" + n + "]");
        int[] out = new int[n];
        double[] values = HostValues.of(lengths);
        for (int i = 0; i < n; i++) {
            double value = values[i];
            if (!isWhole(value) || value < 0 || value > max) {
                throw new IllegalArgumentException(name + ": got " + show(value) + " at index " + i + ", expected "
                        + (!isWhole(value) ? "a whole number" : value < 0 ? "a length >= 0" : "a value <= " + maxName));
            }
            out[i] = (int) value;
        }
        return out;
    }

    private static int[][] paddedTargets(INDArray targets, int[] tl, int n, int c) {
        requireNumeric(targets, "targets");
        if (targets.rank() == 2) {
            require(targets.size(0) == n, "targets: got shape " + Arrays.toString(targets.shape())
                    + ", expected [N, S] with N = " + n);
            int s = (int) targets.size(1);
            int[][] out = new int[n][];
            double[] values = s == 0 ? new double[0] : HostValues.of(targets);
            for (int i = 0; i < n; i++) {
                out[i] = new int[tl[i]];
                for (int j = 0; j < tl[i]; j++) {
                    out[i][j] = label(values[i * s + j], i, j, c);
                }
            }
            return out;
        }
        // ND4J makes an empty 1-D array (every target empty) rank 0 or rank 1, depending on how it was built.
        require(targets.rank() == 1 || (targets.isEmpty() && targets.rank() == 0), "targets: got shape " + Arrays.toString(targets.shape())
                + ", expected [N, S] padded or 1-D concatenated");
        long total = Arrays.stream(tl).asLongStream().sum();
        require(targets.length() == total, "targets: got " + targets.length() + " concatenated labels, expected "
                + "sum(targetLengths) = " + total);
        double[] values = total == 0 ? new double[0] : HostValues.of(targets);
        int[][] out = new int[n][];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            out[i] = new int[tl[i]];
            for (int j = 0; j < tl[i]; j++) {
                out[i][j] = label(values[offset + j], i, j, c);
            }
            offset += tl[i];
        }
        return out;
    }

    private static void requireNumeric(INDArray array, String name) {
        DataType dt = array.dataType();
        require(dt.isIntType() || dt.isFPType(), name + ": got data type " + dt
                + ", expected an integer type or a floating-point type holding whole numbers");
    }

    /**
     * A target label, whole and in int range (its class range is checked once C and the blank are in view). The
     * message is built only on failure: this runs once per label.
     */
    private static int label(double value, int sample, int position, int c) {
        if (!isWhole(value) || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("targets: got " + show(value) + " at sample " + sample + ", position "
                    + position + ", expected " + (!isWhole(value) ? "a whole number" : "a class index in [0, " + c + ")"));
        }
        return (int) value;
    }

    /** Whole and finite (NaN and infinities are not). */
    private static boolean isWhole(double value) {
        return value == Math.rint(value) && Math.abs(value) < 0x1p63;
    }

    /** A whole value as an integer ("7", not "7.0"), anything else as is. */
    private static String show(double value) {
        return isWhole(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
