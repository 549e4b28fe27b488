package io.github.dl4jctc.zoo.util;

import java.util.Arrays;
import java.util.List;

/**
 * Which items of a hypothesis match which items of its reference: a minimum-edit (Levenshtein) alignment, unit costs,
 * traced back from the end preferring a match, then a substitution, then a deletion, then an insertion. An item
 * "matches" only when the alignment pairs it with an equal item; substituted, deleted and inserted items match
 * nothing.
 */
public final class SequenceAlignment {

    private SequenceAlignment() {
    }

    /**
     * @return for each reference index the hypothesis index of the equal item it is aligned with, or -1
     */
    public static int[] matches(List<?> reference, List<?> hypothesis) {
        if (reference == null || hypothesis == null) {
            throw new IllegalArgumentException("reference, hypothesis: got " + (reference == null ? "null" : "a list")
                    + ", " + (hypothesis == null ? "null" : "a list") + ", expected two lists");
        }
        int n = reference.size();
        int m = hypothesis.size();
        int[][] cost = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            cost[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            cost[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int diagonal = cost[i - 1][j - 1] + (reference.get(i - 1).equals(hypothesis.get(j - 1)) ? 0 : 1);
                cost[i][j] = Math.min(diagonal, Math.min(cost[i - 1][j], cost[i][j - 1]) + 1);
            }
        }
        int[] matched = new int[n];
        Arrays.fill(matched, -1);
        int i = n;
        int j = m;
        while (i > 0 && j > 0) {
            boolean equal = reference.get(i - 1).equals(hypothesis.get(j - 1));
            if (cost[i][j] == cost[i - 1][j - 1] + (equal ? 0 : 1)) {
                if (equal) {
                    matched[i - 1] = j - 1;
                }
                i--;
                j--;
            } else if (cost[i][j] == cost[i - 1][j] + 1) {
                i--;
            } else {
                j--;
            }
        }
        return matched;
    }

    /** @return for each hypothesis index whether it is matched by {@link #matches} */
    public static boolean[] matchedHypothesis(List<?> reference, List<?> hypothesis) {
        boolean[] matched = new boolean[hypothesis.size()];
        for (int j : matches(reference, hypothesis)) {
            if (j >= 0) {
                matched[j] = true;
            }
        }
        return matched;
    }
}
