package io.github.dl4jctc.ops;

import java.util.Arrays;

/**
 * CTC's forward-backward for one sample in probability space, each row of alpha and beta rescaled by the
 * maximum of the row before it (Rabiner's scaling): additions and multiplications instead of a log and two exps
 * per state, several times cheaper than {@link LogSpaceForwardBackward} at small vocabularies.
 * <p>
 * Scaling alone is not exact: a state more than ~1e308 times less likely than its frame's best underflows to 0,
 * and on peaky scores such states can be the ones whose alignments survive (a scaled recursion that flushes
 * them gives 13% loss errors at logit scale 50). So this run refuses instead of flushing: every value it
 * computes that is not an exact structural zero must stay above {@link #TINY}, where doubles keep full relative
 * precision; on the first one that would not, {@link #run} returns null and the caller uses the log-space
 * recursion. A completed run has therefore only rounding errors, like the log-space one.
 */
final class ScaledForwardBackward {
    /** Far above the smallest normal double (2.2e-308): products of two values above it cannot go subnormal. */
    private static final double TINY = 1e-300;
    /** A frame's alpha-beta sum above this keeps products that went subnormal (< 2.2e-308 each) negligible. */
    private static final double TOTAL_FLOOR = 1e-280;
    /** exp(-690) is about 3e-300: emission ratios below it would leave the safe range. */
    private static final double LOWEST_LOG_RATIO = -690.0;
    /**
     * Smallest frame-best slot exponential (relative to the frame's largest logit, about exp(-13.8)) whose
     * quotients are used as emission ratios: the slots' exponentials down to exp(-690) below it stay above
     * 2.2e-308, normal doubles.
     */
    private static final double SHARED_EXP_FLOOR = 1e-6;
    private static final int PAD = 2;
    // Row maxima below are "if (v > max) max = v", not Math.max: every value is finite here, and Math.max's NaN and
    // -0.0 handling costs a measurable share of a call (docs/benchmarks.md).

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[5][0]);

    private ScaledForwardBackward() {
    }

    /**
     * @param lp log-probabilities of the sample's slots, {@code [frames][slots]} row-major (finite or -inf)
     * @return the result, or null when some quantity would have left the range where doubles are exact enough
     */
    static ForwardBackwardResult run(double[] lp, int slots, ExtendedTarget ext, int frames,
                                               boolean posteriors) {
        return run(lp, null, slots, ext, frames, posteriors);
    }

    /**
     * As {@link #run(double[], int, ExtendedTarget, int, boolean)}, with the exponentials a softmax has already
     * taken.
     *
     * @param slotExp {@code exp(lp - m_t)} for each frame's slots (same layout as lp) with some shift m_t per
     *                frame (the frame's largest logit), or null
     */
    static ForwardBackwardResult run(double[] lp, double[] slotExp, int slots, ExtendedTarget ext, int frames,
                                     boolean posteriors) {
        double[][] scratch = SCRATCH.get();
        double[] emission = ScratchRows.grow(scratch, 0, frames * slots);
        double logScale = emissionRatios(lp, slotExp, slots, frames, emission);
        if (Double.isNaN(logScale)) {
            return null;
        }
        int len = ext.length();
        int width = len + 2 * PAD;
        double[] alpha = ScratchRows.grow(scratch, 1, frames * width);   // forward() zeroes what it reads outside each row
        double logAlphaScale = forward(emission, slots, ext, frames, alpha, width);
        if (Double.isNaN(logAlphaScale)) {
            return null;
        }
        int end = (frames - 1) * width + PAD;
        double last = alpha[end + len - 1] + (len > 1 ? alpha[end + len - 2] : 0.0);
        double logP = logScale + logAlphaScale + Math.log(last);
        if (!posteriors) {
            return new ForwardBackwardResult(logP, null);
        }
        double[] gamma = backward(emission, slots, ext, frames, alpha, width, ScratchRows.grow(scratch, 2, width),
                ScratchRows.grow(scratch, 3, width), ScratchRows.grow(scratch, 4, width));
        return gamma == null ? null : new ForwardBackwardResult(logP, gamma);
    }

    /**
     * emission[t][j] = exp(lp[t][j] - max_j lp[t][j]); returns the sum of the frame maxima, or NaN if a ratio is
     * below exp(-690) or a log-probability is -inf (exact zeros are left to the log-space recursion).
     * <p>
     * With slotExp, a ratio is the quotient of two of its exponentials, as long as the frame's largest is at
     * least {@link #SHARED_EXP_FLOOR}: then every one of them at a ratio above exp(-690) is a normal double, with
     * all its digits.
     */
    private static double emissionRatios(double[] lp, double[] slotExp, int slots, int frames, double[] emission) {
        double logScale = 0.0;
        for (int t = 0; t < frames; t++) {
            int row = t * slots;
            double max = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int j = 0; j < slots; j++) {
                double v = lp[row + j];
                if (v > max) {
                    max = v;
                    argmax = j;
                }
            }
            for (int j = 0; j < slots; j++) {
                if (!(lp[row + j] - max >= LOWEST_LOG_RATIO)) {
                    return Double.NaN;
                }
            }
            double shared = slotExp == null ? Double.NaN : slotExp[row + argmax];
            if (shared >= SHARED_EXP_FLOOR && shared <= 1.0) {
                double inverse = 1.0 / shared;
                for (int j = 0; j < slots; j++) emission[row + j] = slotExp[row + j] * inverse;
            } else {
                for (int j = 0; j < slots; j++) emission[row + j] = Math.exp(lp[row + j] - max);
            }
            logScale += max;
        }
        return logScale;
    }

    /**
     * Fills the alpha rows, each divided by the previous row's maximum (so every row's maximum is at most 3);
     * returns the log of the product of those maxima, or NaN to give up.
     */
    private static double forward(double[] emission, int slots, ExtendedTarget ext, int frames, double[] alpha,
                                  int width) {
        int len = ext.length();
        int[] slot = ext.slot;
        double[] skip = ext.skipWeight;
        double logScale = 0.0;
        double inverse = 1.0;
        for (int t = 0; t < frames; t++) {
            int lo = ScratchRows.firstLive(len, frames, t);
            int hi = ScratchRows.lastReachable(len, t);
            int cur = t * width + PAD;
            int prev = cur - width;
            int em = t * slots;
            double max = 0.0;
            boolean underflow = false;
            // The next row reads this one from lo - 2 to hi + 2: zero the margins instead of whole rows.
            alpha[cur + lo - 2] = 0.0;
            alpha[cur + lo - 1] = 0.0;
            alpha[cur + hi + 1] = 0.0;
            alpha[cur + hi + 2] = 0.0;
            if (t == 0) {
                for (int s = lo; s <= hi; s++) {
                    double v = emission[slot[s]];
                    underflow |= v < TINY;
                    alpha[cur + s] = v;
                    if (v > max) max = v;
                }
            } else {
                for (int s = lo; s <= hi; s++) {
                    // branch-free: skip[s] is 1 where s - 2 -> s is allowed, else 0 (rows hold only finite values)
                    double reach = alpha[prev + s] + alpha[prev + s - 1] + skip[s] * alpha[prev + s - 2];
                    double v = reach * (emission[em + slot[s]] * inverse);
                    underflow |= v < TINY & reach > 0.0;   // not a structural zero: would lose digits
                    alpha[cur + s] = v;
                    if (v > max) max = v;
                }
            }
            if (underflow || max == 0.0) {
                return Double.NaN;
            }
            if (t < frames - 1) {
                inverse = 1.0 / max;
                logScale += Math.log(max);
            }
        }
        return logScale;
    }

    /**
     * Runs the rescaled beta recursion and returns the posteriors {@code [frames][slots]}, each frame normalised
     * by its own alpha-beta sum (which is p(target) times the frame's scales), or null to give up.
     */
    private static double[] backward(double[] emission, int slots, ExtendedTarget ext, int frames, double[] alpha,
                                     int width, double[] beta, double[] next, double[] product) {
        int len = ext.length();
        int[] slot = ext.slot;
        Arrays.fill(beta, 0, width, 0.0);
        beta[PAD + len - 1] = 1.0;
        if (len > 1) beta[PAD + len - 2] = 1.0;
        double[] gamma = new double[frames * slots];
        for (int t = frames - 1; t >= 0; t--) {
            int lo = ScratchRows.firstLive(len, frames, t);
            int hi = ScratchRows.lastReachable(len, t);
            if (t < frames - 1 && !stepBack(emission, slots, ext, frames, t, beta, next)) {
                return null;
            }
            int a = t * width + PAD;
            double total = 0.0;
            for (int s = lo; s <= hi; s++) {
                double w = alpha[a + s] * beta[PAD + s];
                product[s] = w;
                total += w;
            }
            if (!(total >= TOTAL_FLOOR)) {
                return null;   // alpha and beta peak at states too far apart for this frame's products
            }
            double inverse = 1.0 / total;
            int g = t * slots;
            for (int s = lo; s <= hi; s++) gamma[g + slot[s]] += product[s] * inverse;
        }
        return gamma;
    }

    /**
     * beta(t) from beta(t + 1), divided by the maximum of beta(t + 1) (rows are only ever compared within a
     * frame); false to give up.
     */
    private static boolean stepBack(double[] emission, int slots, ExtendedTarget ext, int frames, int t,
                                    double[] beta, double[] next) {
        int len = ext.length();
        int[] slot = ext.slot;
        double[] skip = ext.skipWeight;
        int loNext = ScratchRows.firstLive(len, frames, t + 1);
        int hiNext = ScratchRows.lastReachable(len, t + 1);
        double max = 0.0;
        for (int s = loNext; s <= hiNext; s++) if (beta[PAD + s] > max) max = beta[PAD + s];
        if (max == 0.0) {
            return false;
        }
        double inverse = 1.0 / max;
        Arrays.fill(next, 0, len + 2 * PAD, 0.0);
        int em = (t + 1) * slots;
        boolean underflow = false;
        for (int s = loNext; s <= hiNext; s++) {
            double b = beta[PAD + s];
            double v = b * (emission[em + slot[s]] * inverse);
            underflow |= v < TINY & b > 0.0;
            next[PAD + s] = v;
        }
        if (underflow) {
            return false;
        }
        Arrays.fill(beta, 0, len + 2 * PAD, 0.0);
        int lo = ScratchRows.firstLive(len, frames, t);
        int hi = ScratchRows.lastReachable(len, t);
        for (int s = lo; s <= hi; s++) {
            beta[PAD + s] = next[PAD + s] + next[PAD + s + 1] + skip[s + 2] * next[PAD + s + 2];
        }
        return true;
    }
}
