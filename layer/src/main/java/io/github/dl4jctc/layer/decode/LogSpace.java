package io.github.dl4jctc.layer.decode;

/** Log-space arithmetic shared by the decoders. */
final class LogSpace {

    static final double LOG_ZERO = Double.NEGATIVE_INFINITY;

    private LogSpace() {
    }

    /** log(exp(a) + exp(b)), exact when either side is log(0) (the naive form gives NaN for -inf - -inf). */
    static double add(double a, double b) {
        if (a == LOG_ZERO) {
            return b;
        }
        if (b == LOG_ZERO) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log1p(Math.exp(-Math.abs(a - b)));
    }
}
