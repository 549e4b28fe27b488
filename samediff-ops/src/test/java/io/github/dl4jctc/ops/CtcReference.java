package io.github.dl4jctc.ops;

import java.util.Arrays;

/**
 * A slow, obviously-correct float64 CTC (test scope only): the alpha recursion over the extended target
 * {@code l'} (blanks interleaved) for the loss, and alpha * beta for the label posteriors, straight from
 * Graves et al. (2006), in log space. No pruning, no shortcuts, PyTorch's conventions for edge cases.
 */
final class CtcReference {
    private CtcReference() {
    }

    /** l' of a target: blank, l1, blank, l2, ..., blank (length 2L+1). */
    static int[] extended(int[] target, int blank) {
        int[] ext = new int[2 * target.length + 1];
        Arrays.fill(ext, blank);
        for (int i = 0; i < target.length; i++) ext[2 * i + 1] = target[i];
        return ext;
    }

    static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }

    /** May alpha at extended position s come from s-2 (skip the blank between two different labels)? */
    private static boolean canSkip(int[] ext, int s, int blank) {
        return s >= 2 && ext[s] != blank && ext[s] != ext[s - 2];
    }

    /** log alpha[t][s] for lp[t][c] (one sample, t < frames). */
    static double[][] alphas(double[][] lp, int frames, int[] ext, int blank) {
        double[][] a = new double[frames][ext.length];
        for (double[] row : a) Arrays.fill(row, Double.NEGATIVE_INFINITY);
        a[0][0] = lp[0][ext[0]];
        if (ext.length > 1) a[0][1] = lp[0][ext[1]];
        for (int t = 1; t < frames; t++) {
            for (int s = 0; s < ext.length; s++) {
                double v = a[t - 1][s];
                if (s >= 1) v = logAdd(v, a[t - 1][s - 1]);
                if (canSkip(ext, s, blank)) v = logAdd(v, a[t - 1][s - 2]);
                a[t][s] = v + lp[t][ext[s]];
            }
        }
        return a;
    }

    static double[][] betas(double[][] lp, int frames, int[] ext, int blank) {
        int last = ext.length - 1;
        double[][] b = new double[frames][ext.length];
        for (double[] row : b) Arrays.fill(row, Double.NEGATIVE_INFINITY);
        b[frames - 1][last] = lp[frames - 1][ext[last]];
        if (last >= 1) b[frames - 1][last - 1] = lp[frames - 1][ext[last - 1]];
        for (int t = frames - 2; t >= 0; t--) {
            for (int s = 0; s <= last; s++) {
                double v = b[t + 1][s];
                if (s + 1 <= last) v = logAdd(v, b[t + 1][s + 1]);
                if (s + 2 <= last && canSkip(ext, s + 2, blank)) v = logAdd(v, b[t + 1][s + 2]);
                b[t][s] = v + lp[t][ext[s]];
            }
        }
        return b;
    }

    /** Negative log-likelihood of one sample (+inf when no alignment exists). */
    static double nll(double[][] lp, int frames, int[] target, int blank) {
        if (frames == 0) return target.length == 0 ? 0.0 : Double.POSITIVE_INFINITY;
        int[] ext = extended(target, blank);
        double[][] a = alphas(lp, frames, ext, blank);
        double ll = a[frames - 1][ext.length - 1];
        if (ext.length > 1) ll = logAdd(ll, a[frames - 1][ext.length - 2]);
        return -ll;
    }

    /**
     * Posterior probability of each class at each valid frame, {@code gamma[t][c]} = sum over the extended
     * positions s with l'(s) = c of alpha*beta / (p(l|x) * y_t(c)); the true derivative of the NLL with respect
     * to lp[t][c] is {@code -gamma[t][c]}.
     */
    static double[][] posteriors(double[][] lp, int frames, int[] target, int blank, int classes) {
        double[][] gamma = new double[frames][classes];
        if (frames == 0) return gamma;
        int[] ext = extended(target, blank);
        double[][] a = alphas(lp, frames, ext, blank);
        double[][] b = betas(lp, frames, ext, blank);
        double nll = nll(lp, frames, target, blank);
        for (int t = 0; t < frames; t++) {
            double[] logSum = new double[classes];
            Arrays.fill(logSum, Double.NEGATIVE_INFINITY);
            for (int s = 0; s < ext.length; s++) {
                logSum[ext[s]] = logAdd(logSum[ext[s]], a[t][s] + b[t][s]);
            }
            for (int c = 0; c < classes; c++) {
                // alpha and beta both include y_t(l'_s): divide it out once.
                gamma[t][c] = Math.exp(logSum[c] - lp[t][c] + nll);
            }
        }
        return gamma;
    }
}
