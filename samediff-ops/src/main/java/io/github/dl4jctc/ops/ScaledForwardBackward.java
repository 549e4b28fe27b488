package io.github.dl4jctc.ops;

import java.util.Arrays;

/**
 * CTC's forward-backward for one sample in scaled probability space (Rabiner's scaling): alpha and beta are
 * renormalised every frame, so the recursions are multiply-adds only; the log-likelihood is the sum of the logs
 * of alpha's normalisers. Each frame's label posteriors are alpha * beta normalised over the frame: every
 * complete alignment passes through exactly one state per frame, so no scale bookkeeping is needed for them.
 * <p>
 * Rows are padded with two zeros on each side so the three-way recursions need no bounds tests, and only the
 * states that can still lie on a complete alignment at frame t ({@code L - 2(F - t) <= s <= 2t + 1}) are
 * computed. Scratch rows are reused per thread.
 */
final class ScaledForwardBackward {
    private static final int PAD = 2;
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[4][0]);

    /** What one run found. */
    static final class Result {
        /** log p(target | x) relative to the emissions' scale (add their log scale); -inf when mass vanished. */
        final double logLikelihood;
        /** Posteriors [frames][slots], or null if not asked for or if mass vanished. */
        final double[] gamma;

        Result(double logLikelihood, double[] gamma) {
            this.logLikelihood = logLikelihood;
            this.gamma = gamma;
        }
    }

    private ScaledForwardBackward() {
    }

    /**
     * @param y emission probabilities (any positive scale per frame), {@code [frames][slots]} row-major
     */
    static Result run(double[] y, int slots, ExtendedTarget ext, int frames, boolean posteriors) {
        int len = ext.length();
        int width = len + 2 * PAD;
        double[][] scratch = SCRATCH.get();
        double[] skip = grow(scratch, 0, width);     // skip[PAD + s]: 1 where s may come from s - 2
        Arrays.fill(skip, 0, width, 0.0);
        for (int s = 0; s < len; s++) {
            if (ext.canSkip[s]) skip[PAD + s] = 1.0;
        }
        double[] alpha = grow(scratch, 1, frames * width);
        Arrays.fill(alpha, 0, frames * width, 0.0);

        double logLikelihood = 0;
        for (int t = 0; t < frames; t++) {
            int lo = first(len, frames, t);
            int hi = last(len, t);
            int cur = t * width + PAD;
            int em = t * slots;
            if (t == 0) {
                for (int s = lo; s <= hi; s++) alpha[cur + s] = y[em + ext.slot[s]];
            } else {
                int prev = cur - width;
                for (int s = lo; s <= hi; s++) {
                    double v = alpha[prev + s] + alpha[prev + s - 1] + skip[PAD + s] * alpha[prev + s - 2];
                    alpha[cur + s] = v * y[em + ext.slot[s]];
                }
            }
            double norm = normalise(alpha, cur + lo, cur + hi);
            if (norm == 0.0) {
                return new Result(Double.NEGATIVE_INFINITY, null);
            }
            logLikelihood += Math.log(norm);
        }
        int end = (frames - 1) * width + PAD;
        double p = alpha[end + len - 1] + (len > 1 ? alpha[end + len - 2] : 0.0);
        if (p == 0.0) {
            return new Result(Double.NEGATIVE_INFINITY, null);
        }
        logLikelihood += Math.log(p);
        if (!posteriors) {
            return new Result(logLikelihood, null);
        }

        // beta[s]: probability of emitting the rest of the target after frame t from state s at t (frame t's own
        // emission excluded); two rows suffice since posteriors are taken frame by frame.
        double[] beta = grow(scratch, 2, width);
        double[] next = grow(scratch, 3, width);     // beta(t+1, s) * y(t+1, s), padded
        Arrays.fill(beta, 0, width, 0.0);
        beta[PAD + len - 1] = 1.0;
        if (len > 1) beta[PAD + len - 2] = 1.0;
        double[] gamma = new double[frames * slots];
        for (int t = frames - 1; t >= 0; t--) {
            int lo = first(len, frames, t);
            int hi = last(len, t);
            if (t < frames - 1) {
                int loNext = first(len, frames, t + 1);
                int hiNext = last(len, t + 1);
                Arrays.fill(next, 0, width, 0.0);
                int em = (t + 1) * slots;
                for (int s = loNext; s <= hiNext; s++) next[PAD + s] = beta[PAD + s] * y[em + ext.slot[s]];
                Arrays.fill(beta, 0, width, 0.0);
                for (int s = lo; s <= hi; s++) {
                    beta[PAD + s] = next[PAD + s] + next[PAD + s + 1] + skip[PAD + s + 2] * next[PAD + s + 2];
                }
                if (normalise(beta, PAD + lo, PAD + hi) == 0.0) {
                    return new Result(Double.NEGATIVE_INFINITY, null);
                }
            }
            int a = t * width + PAD;
            double total = 0;
            for (int s = lo; s <= hi; s++) total += alpha[a + s] * beta[PAD + s];
            if (total == 0.0) {
                return new Result(Double.NEGATIVE_INFINITY, null);
            }
            double inv = 1.0 / total;
            int g = t * slots;
            for (int s = lo; s <= hi; s++) gamma[g + ext.slot[s]] += alpha[a + s] * beta[PAD + s] * inv;
        }
        return new Result(logLikelihood, gamma);
    }

    /** First state at frame t from which the end can still be reached in the frames left. */
    private static int first(int len, int frames, int t) {
        return Math.max(0, len - 2 * (frames - t));
    }

    /** Last state reachable from the start by frame t. */
    private static int last(int len, int t) {
        return Math.min(len - 1, 2 * t + 1);
    }

    /** Divides a[from..to] by its sum and returns the sum (0 leaves the values as they were). */
    private static double normalise(double[] a, int from, int to) {
        double sum = 0;
        for (int i = from; i <= to; i++) sum += a[i];
        if (sum == 0.0) {
            return 0.0;
        }
        double inv = 1.0 / sum;
        for (int i = from; i <= to; i++) a[i] *= inv;
        return sum;
    }

    private static double[] grow(double[][] scratch, int which, int size) {
        if (scratch[which].length < size) {
            scratch[which] = new double[Math.max(size, scratch[which].length * 2)];
        }
        return scratch[which];
    }
}
