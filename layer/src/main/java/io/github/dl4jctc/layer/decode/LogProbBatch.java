package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.ops.CtcLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * A checked batch of natural-log probabilities laid out as the CTC op takes them, {@code [T, N, C]} (TNC) or
 * {@code [N, T, C]} (NTC), with per-sample lengths; hands out one sample at a time as row-major {@code [t * C]}.
 */
final class LogProbBatch {

    private final double[] values;
    private final CtcLayout layout;
    private final int n;
    private final int t;
    private final int c;
    private final int[] lengths;

    private LogProbBatch(double[] values, CtcLayout layout, int n, int t, int c, int[] lengths) {
        this.values = values;
        this.layout = layout;
        this.n = n;
        this.t = t;
        this.c = c;
        this.lengths = lengths;
    }

    /**
     * @throws IllegalArgumentException on a null or non-floating-point array, a rank other than 3, C not above the
     *                                  blank, lengths not {@code [N]} or outside {@code [0, T]}
     */
    static LogProbBatch of(INDArray logProbs, INDArray inputLengths, CtcLayout layout, int blank) {
        if (layout == null) {
            throw new IllegalArgumentException("layout: got null, expected TNC or NTC");
        }
        String shape = layout == CtcLayout.TNC ? "[T, N, C]" : "[N, T, C]";
        if (logProbs == null || logProbs.rank() != 3 || !logProbs.dataType().isFPType()) {
            throw new IllegalArgumentException("logProbs: got " + (logProbs == null ? "null" : logProbs.dataType()
                    + " " + Arrays.toString(logProbs.shape())) + ", expected floating-point " + shape + " (" + layout
                    + ") natural-log probabilities");
        }
        int n = Math.toIntExact(logProbs.size(layout == CtcLayout.TNC ? 1 : 0));
        int t = Math.toIntExact(logProbs.size(layout == CtcLayout.TNC ? 0 : 1));
        int c = Math.toIntExact(logProbs.size(2));
        if (c <= blank) {
            throw new IllegalArgumentException("logProbs: got C = " + c + " classes in " + Arrays.toString(
                    logProbs.shape()) + " " + shape + ", expected more than blankIndex = " + blank);
        }
        int[] lengths = new int[n];
        if (inputLengths == null) {
            Arrays.fill(lengths, t);
        } else {
            if (inputLengths.length() != n || inputLengths.rank() > 2) {
                throw new IllegalArgumentException("inputLengths: got shape " + Arrays.toString(inputLengths.shape())
                        + ", expected [N] = [" + n + "]");
            }
            for (int i = 0; i < n; i++) {
                double length = inputLengths.getDouble(i);
                if (length != Math.rint(length) || length < 0 || length > t) {
                    throw new IllegalArgumentException("inputLengths: got " + length + " for sample " + i
                            + ", expected a whole number of frames in [0, T = " + t + "]");
                }
                lengths[i] = (int) length;
            }
        }
        double[] values = logProbs.dup('c').data().asDouble();
        return new LogProbBatch(values, layout, n, t, c, lengths);
    }

    int numSamples() {
        return n;
    }

    int numClasses() {
        return c;
    }

    int frames(int sample) {
        return lengths[sample];
    }

    /** @throws IllegalArgumentException on NaN or +inf within the sample's frames */
    double[] sample(int sample) {
        int length = lengths[sample];
        double[] rows = new double[length * c];
        for (int f = 0; f < length; f++) {
            int from = layout == CtcLayout.TNC ? (f * n + sample) * c : (sample * t + f) * c;
            for (int k = 0; k < c; k++) {
                double v = values[from + k];
                if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("logProbs: got " + v + " for sample " + sample + ", frame " + f
                            + ", class " + k + ", expected a natural-log probability (finite or -inf)");
                }
                rows[f * c + k] = v;
            }
        }
        return rows;
    }
}
