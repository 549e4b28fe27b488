package io.github.dl4jctc.layer.decode;

/** Plain-array log-probabilities ({@code [T][C]} per sample, from ONNX Runtime, TF-Java, ...) checked and packed. */
final class LogProbRows {

    private LogProbRows() {
    }

    /**
     * @return row-major {@code [T * C]} doubles
     * @throws IllegalArgumentException on null or ragged rows, {@code C <= blank}, NaN or +inf, or a frame that is
     *                                  -inf for every class (no distribution: the probability input refuses the same)
     */
    static double[] of(float[][] logProbs, String name, int blank) {
        if (logProbs == null) {
            throw new IllegalArgumentException(name + ": got null, expected [T][C] log-probabilities");
        }
        int c = logProbs.length == 0 || logProbs[0] == null ? 0 : logProbs[0].length;
        if (logProbs.length > 0 && c <= blank) {
            throw new IllegalArgumentException(name + ": got C = " + c + " classes per frame, expected more than blank"
                    + " = " + blank);
        }
        double[] values = new double[logProbs.length * c];
        for (int t = 0; t < logProbs.length; t++) {
            float[] row = logProbs[t];
            if (row == null || row.length != c) {
                throw new IllegalArgumentException(name + ": got " + (row == null ? "null" : row.length + " classes")
                        + " at frame " + t + ", expected " + c + " as at frame 0");
            }
            boolean anyFinite = false;
            for (int k = 0; k < c; k++) {
                float v = row[k];
                if (Float.isNaN(v) || v == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException(name + ": got " + v + " at frame " + t + ", class " + k
                            + ", expected a natural-log probability (finite or -inf)");
                }
                anyFinite |= v != Float.NEGATIVE_INFINITY;
                values[t * c + k] = v;
            }
            if (!anyFinite) {
                throw new IllegalArgumentException(name + ": got -inf for every class at frame " + t
                        + ", expected at least one finite log-probability");
            }
        }
        return values;
    }
}
