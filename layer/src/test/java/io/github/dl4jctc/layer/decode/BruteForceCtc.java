package io.github.dl4jctc.layer.decode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The obviously-correct reference: enumerates all C^T paths, collapses each (repeats merged, blanks dropped) and
 * sums path probabilities per labelling. Only for tiny T and C.
 */
final class BruteForceCtc {

    private BruteForceCtc() {
    }

    /** @return labelling -> probability (only labellings with a path of probability > 0) */
    static Map<List<Integer>, Double> labellingProbabilities(double[][] frames, int blank) {
        int t = frames.length;
        int c = t == 0 ? 1 : frames[0].length;
        Map<List<Integer>, Double> result = new HashMap<>();
        int paths = (int) Math.pow(c, t);
        for (int code = 0; code < paths; code++) {
            int[] path = new int[t];
            int rest = code;
            double probability = 1;
            for (int i = 0; i < t; i++) {
                path[i] = rest % c;
                rest /= c;
                probability *= frames[i][path[i]];
            }
            if (probability > 0) {
                result.merge(collapse(path, blank), probability, Double::sum);
            }
        }
        return result;
    }

    /** @return the labelling a path produces: repeats merged, then blanks dropped */
    static List<Integer> collapse(int[] path, int blank) {
        List<Integer> labels = new ArrayList<>();
        int previous = -1;
        for (int label : path) {
            if (label != blank && label != previous) {
                labels.add(label);
            }
            previous = label;
        }
        return labels;
    }
}
