package io.github.dl4jctc.layer.decode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The textbook CTC prefix beam search, written for clarity: prefixes are lists in a map, every candidate is kept
 * until the frame is pruned. Reference for the optimised search when the beam actually prunes.
 */
final class TextbookPrefixBeamSearch {

    private TextbookPrefixBeamSearch() {
    }

    /** @return the final beam, best first: labelling -> score */
    static List<Map.Entry<List<Integer>, Double>> search(double[][] frames, int blank, int width,
                                                         CtcLanguageModel lm, double alpha, double beta) {
        Map<List<Integer>, double[]> beams = new LinkedHashMap<>();
        beams.put(List.of(), new double[]{0, Double.NEGATIVE_INFINITY});   // {ends in blank, ends in label}
        for (double[] probabilities : frames) {
            Map<List<Integer>, double[]> next = new LinkedHashMap<>();
            for (Map.Entry<List<Integer>, double[]> beam : beams.entrySet()) {
                List<Integer> prefix = beam.getKey();
                double pb = beam.getValue()[0];
                double pnb = beam.getValue()[1];
                double total = LogSpace.add(pb, pnb);
                double[] same = entry(next, prefix);
                same[0] = LogSpace.add(same[0], total + Math.log(probabilities[blank]));
                for (int c = 0; c < probabilities.length; c++) {
                    if (c == blank) {
                        continue;
                    }
                    double p = Math.log(probabilities[c]);
                    List<Integer> extended = new ArrayList<>(prefix);
                    extended.add(c);
                    if (!prefix.isEmpty() && prefix.get(prefix.size() - 1) == c) {
                        same[1] = LogSpace.add(same[1], pnb + p);
                        double[] child = entry(next, extended);
                        child[1] = LogSpace.add(child[1], pb + p);
                    } else {
                        double[] child = entry(next, extended);
                        child[1] = LogSpace.add(child[1], total + p);
                    }
                }
            }
            List<Map.Entry<List<Integer>, Double>> ranked = rank(next, lm, alpha, beta);
            beams = new LinkedHashMap<>();
            for (Map.Entry<List<Integer>, Double> e : ranked.subList(0, Math.min(width, ranked.size()))) {
                beams.put(e.getKey(), next.get(e.getKey()));
            }
        }
        return rank(beams, lm, alpha, beta);
    }

    private static double[] entry(Map<List<Integer>, double[]> map, List<Integer> prefix) {
        return map.computeIfAbsent(prefix, k -> new double[]{Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY});
    }

    private static List<Map.Entry<List<Integer>, Double>> rank(Map<List<Integer>, double[]> beams,
                                                               CtcLanguageModel lm, double alpha, double beta) {
        List<Map.Entry<List<Integer>, Double>> ranked = new ArrayList<>();
        for (Map.Entry<List<Integer>, double[]> e : beams.entrySet()) {
            double score = LogSpace.add(e.getValue()[0], e.getValue()[1]) + languageScore(e.getKey(), lm, alpha, beta);
            if (score != Double.NEGATIVE_INFINITY) {
                ranked.add(Map.entry(e.getKey(), score));
            }
        }
        ranked.sort(Map.Entry.<List<Integer>, Double>comparingByValue().reversed());
        return ranked;
    }

    private static double languageScore(List<Integer> labels, CtcLanguageModel lm, double alpha, double beta) {
        double score = 0;
        for (int i = 0; i < labels.size(); i++) {
            int[] prefix = labels.subList(0, i).stream().mapToInt(Integer::intValue).toArray();
            score += (lm == null ? 0 : alpha * lm.logProbability(prefix, labels.get(i))) + beta;
        }
        return score;
    }
}
