package io.github.dl4jctc.layer.decode;

/**
 * The obviously-correct forced-alignment reference: enumerates all C^T paths, keeps those that collapse to the
 * target, and takes the most probable; among equally probable ones, torchaudio's choice as its backtracking makes it
 * (see {@link CtcViterbi}): the one ending on the last label rather than the final blank, then, reading the states
 * backwards from frame T-2, the largest state first. Only for tiny T and C.
 */
final class BruteForceAlignment {

    private BruteForceAlignment() {
    }

    /** @return the best path's frame labels, or null if no path of finite score produces {@code target} */
    static int[] bestPath(double[][] logProbs, int[] target, int blank) {
        int t = logProbs.length;
        int c = logProbs[0].length;
        long paths = (long) Math.pow(c, t);
        int[] best = null;
        int[] bestStates = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        int[] path = new int[t];
        for (long code = 0; code < paths; code++) {
            long rest = code;
            for (int i = 0; i < t; i++) {
                path[i] = (int) (rest % c);
                rest /= c;
            }
            int[] states = states(path, target, blank);
            if (states == null) {
                continue;
            }
            double score = 0;
            for (int i = 0; i < t; i++) {
                score += logProbs[i][path[i]];
            }
            if (score == Double.NEGATIVE_INFINITY) {
                continue;
            }
            if (best == null || score > bestScore || (score == bestScore && preferred(states, bestStates))) {
                best = path.clone();
                bestStates = states;
                bestScore = score;
            }
        }
        return best;
    }

    /** States of the extended target (2i = blank before label i, 2i+1 = label i) per frame, or null. */
    private static int[] states(int[] path, int[] target, int blank) {
        if (!BruteForceCtc.collapse(path, blank).equals(java.util.Arrays.stream(target).boxed().toList())) {
            return null;
        }
        int[] states = new int[path.length];
        int emitted = 0;
        int previous = -1;
        for (int i = 0; i < path.length; i++) {
            if (path[i] != blank && path[i] != previous) {
                emitted++;
            }
            states[i] = path[i] == blank ? 2 * emitted : 2 * emitted - 1;
            previous = path[i];
        }
        return states;
    }

    private static boolean preferred(int[] a, int[] b) {
        int last = a.length - 1;
        if (a[last] != b[last]) {
            return a[last] < b[last];
        }
        for (int i = last - 1; i >= 0; i--) {
            if (a[i] != b[i]) {
                return a[i] > b[i];
            }
        }
        return false;
    }
}
