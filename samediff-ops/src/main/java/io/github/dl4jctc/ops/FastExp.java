package io.github.dl4jctc.ops;

/**
 * {@code exp(x)} to a relative error below 1e-8 (float32 resolves 6e-8), for FLOAT scores: the CPU kernel's
 * softmax and emission ratios take one exp per score, and {@link Math#exp}'s call to its full-precision stub is
 * most of their cost (docs/benchmarks.md). DOUBLE scores keep {@link Math#exp}, so float64 results (and gradient
 * checks) are unchanged.
 * <p>
 * {@code x = k ln 2 + r} with {@code |r| <= ln 2 / 2}: {@code exp(r)} by its Taylor polynomial of degree 8
 * (truncation below 1e-9 relative there), times {@code 2^k} built from its bits. Outside {@code [-700, 700]}
 * (where {@code 2^k} would leave the normal range), and for NaN, it is {@link Math#exp}.
 */
final class FastExp {
    private static final double LOG2_E = 1.4426950408889634;
    /** ln 2 split in two so that {@code k * LN2_HI} is exact for the k used here (Cody and Waite). */
    private static final double LN2_HI = 0.6931471803691238;
    private static final double LN2_LO = 1.9082149292705877e-10;
    private static final double LIMIT = 700.0;

    private FastExp() {
    }

    static double exp(double x) {
        if (!(x >= -LIMIT && x <= LIMIT)) {
            return Math.exp(x);
        }
        double k = Math.rint(x * LOG2_E);
        double r = (x - k * LN2_HI) - k * LN2_LO;
        double p = 1.0 + r * (1.0 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120
                + r * (1.0 / 720 + r * (1.0 / 5040 + r * (1.0 / 40320))))))));
        return p * Double.longBitsToDouble(((long) k + 1023) << 52);
    }
}
