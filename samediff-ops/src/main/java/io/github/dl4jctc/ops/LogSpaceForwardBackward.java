package io.github.dl4jctc.ops;

import java.util.Arrays;

/**
 * CTC's forward-backward for one sample, in log space, over the extended target's states: the exact fallback
 * for the samples {@link ScaledForwardBackward} refuses.
 * <p>
 * Log space because a scaled probability-space recursion (Rabiner) flushes states more than 1e308 times less
 * likely than their frame's best to zero, and on peaky scores such states are the ones whose alignments survive
 * (13% loss errors at logit scale 50; every sample of a T = 2000 or a logit-scale-10 batch loses
 * digits). Each state's log-sum-exp is taken relative to its own largest predecessor, so nothing underflows.
 * <p>
 * Rows are padded with two -inf on each side so the three-way recursions need no bounds tests, and only the
 * states that can still lie on a complete alignment at frame t ({@code L - 2(F - t) <= s <= 2t + 1}) are
 * computed. Scratch rows are reused per thread.
 */
final class LogSpaceForwardBackward {
    private static final int PAD = 2;
    private static final double NEG = Double.NEGATIVE_INFINITY;
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[3][0]);

    private LogSpaceForwardBackward() {
    }

    /** @param lp log-probabilities of the sample's slots, {@code [frames][slots]} row-major (finite or -inf) */
    static ForwardBackwardResult run(double[] lp, int slots, ExtendedTarget ext, int frames, boolean posteriors) {
        int len = ext.length();
        int width = len + 2 * PAD;
        int[] slot = ext.slot;
        boolean[] skip = ext.canSkip;
        double[][] scratch = SCRATCH.get();
        double[] alpha = ScratchRows.grow(scratch, 0, frames * width);
        Arrays.fill(alpha, 0, frames * width, NEG);
        for (int t = 0; t < frames; t++) {
            int lo = ScratchRows.firstLive(len, frames, t);
            int hi = ScratchRows.lastReachable(len, t);
            int cur = t * width + PAD;
            int em = t * slots;
            if (t == 0) {
                for (int s = lo; s <= hi; s++) alpha[cur + s] = lp[em + slot[s]];
                continue;
            }
            int prev = cur - width;
            for (int s = lo; s <= hi; s++) {
                double v = skip[s]
                        ? logSum(alpha[prev + s], alpha[prev + s - 1], alpha[prev + s - 2])
                        : logSum(alpha[prev + s], alpha[prev + s - 1]);
                alpha[cur + s] = v + lp[em + slot[s]];
            }
        }
        int end = (frames - 1) * width + PAD;
        double logP = len > 1 ? logSum(alpha[end + len - 1], alpha[end + len - 2]) : alpha[end + len - 1];
        if (!posteriors || logP == NEG) {
            return new ForwardBackwardResult(logP, null);
        }

        // beta[s]: log probability of emitting the rest of the target after frame t from state s at t (frame t's
        // own emission excluded); two rows suffice since posteriors are taken frame by frame.
        double[] beta = ScratchRows.grow(scratch, 1, width);
        double[] next = ScratchRows.grow(scratch, 2, width);     // beta(t+1, s) + lp(t+1, s), padded with -inf
        Arrays.fill(beta, 0, width, NEG);
        beta[PAD + len - 1] = 0.0;
        if (len > 1) beta[PAD + len - 2] = 0.0;
        double[] gamma = new double[frames * slots];
        for (int t = frames - 1; t >= 0; t--) {
            int lo = ScratchRows.firstLive(len, frames, t);
            int hi = ScratchRows.lastReachable(len, t);
            if (t < frames - 1) {
                int loNext = ScratchRows.firstLive(len, frames, t + 1);
                int hiNext = ScratchRows.lastReachable(len, t + 1);
                Arrays.fill(next, 0, width, NEG);
                int em = (t + 1) * slots;
                for (int s = loNext; s <= hiNext; s++) next[PAD + s] = beta[PAD + s] + lp[em + slot[s]];
                Arrays.fill(beta, 0, width, NEG);
                for (int s = lo; s <= hi; s++) {
                    beta[PAD + s] = s + 2 < len && skip[s + 2]
                            ? logSum(next[PAD + s], next[PAD + s + 1], next[PAD + s + 2])
                            : logSum(next[PAD + s], next[PAD + s + 1]);
                }
            }
            int a = t * width + PAD;
            int g = t * slots;
            for (int s = lo; s <= hi; s++) {
                double w = alpha[a + s] + beta[PAD + s] - logP;
                if (w > NEG) gamma[g + slot[s]] += Math.exp(w);
            }
        }
        return new ForwardBackwardResult(logP, gamma);
    }

    /** log(e^a + e^b), exact for -inf operands; one exp, the larger term's being 1. */
    static double logSum(double a, double b) {
        if (a < b) {
            double t = a;
            a = b;
            b = t;
        }
        if (b == NEG) return a;
        return a + Math.log(1.0 + Math.exp(b - a));
    }

    /** log(e^a + e^b + e^c), exact for -inf operands; two exps, the largest term's being 1. */
    static double logSum(double a, double b, double c) {
        double m;
        double x;
        double y;
        if (a >= b && a >= c) {
            m = a; x = b; y = c;
        } else if (b >= c) {
            m = b; x = a; y = c;
        } else {
            m = c; x = a; y = b;
        }
        if (m == NEG) return NEG;
        return m + Math.log(1.0 + Math.exp(x - m) + Math.exp(y - m));
    }
}
