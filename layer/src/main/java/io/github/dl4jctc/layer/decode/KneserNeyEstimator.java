package io.github.dl4jctc.layer.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Estimates an interpolated modified Kneser-Ney n-gram model (Chen and Goodman 1998, as KenLM's {@code lmplz})
 * and stores it in back-off form.
 *
 * <h2>Definition</h2>
 * Each sentence becomes {@code <s> w1 .. wk </s>}; every token after {@code <s>} is predicted, so n-grams of
 * order m are the m tokens ending at a predicted token (shorter at the sentence start, where they begin with
 * {@code <s>}). The vocabulary V is every word seen, {@code </s>} and {@code <unk>} ({@code <s>} is listed but never
 * predicted: log10 probability -99, as lmplz writes it).
 * <ul>
 *   <li>Adjusted counts a(g): the raw count for the highest order and for n-grams beginning with {@code <s>};
 *   otherwise the number of distinct words seen right before g.</li>
 *   <li>Discounts per order from the counts-of-counts t1..t4 of a: {@code Y = t1 / (t1 + 2 t2)},
 *   {@code D1 = 1 - 2Y t2/t1}, {@code D2 = 2 - 3Y t3/t2}, {@code D3+ = 3 - 4Y t4/t3}. When one of t1..t4 is 0 or
 *   a discount falls outside {@code (0, k)} (tiny corpora), the order uses the single discount
 *   {@code D = Y} for every count (original Kneser-Ney), or 0.5 when t1 or t2 is 0.</li>
 *   <li>{@code p(w | h) = (a(hw) - D(a(hw)))+ / a(h.) + gamma(h) p(w | h')}, with {@code a(h.) = sum_w a(hw)},
 *   {@code gamma(h) = (D1 N1(h.) + D2 N2(h.) + D3+ N3+(h.)) / a(h.)}, h' = h without its oldest word; a history
 *   never seen gives {@code p(w | h) = p(w | h')}; below the unigrams, the uniform {@code 1 / |V|}.</li>
 *   <li>ARPA form: every n-gram seen gets log10 p(w | h); a history seen gets back-off weight log10 gamma(h).</li>
 * </ul>
 * The probabilities of V after any history sum to 1.
 */
final class KneserNeyEstimator {

    private KneserNeyEstimator() {
    }

    /** An n-gram as word ids, usable as a map key. */
    private record Gram(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Gram g && Arrays.equals(ids, g.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }

        Gram history() {
            return new Gram(Arrays.copyOf(ids, ids.length - 1));
        }

        Gram suffix() {
            return new Gram(Arrays.copyOfRange(ids, 1, ids.length));
        }

        int last() {
            return ids[ids.length - 1];
        }
    }

    /** Per history: a(h.), and how many words follow it with adjusted count 1, 2 and 3 or more. */
    private static final class HistoryStats {
        long total;
        final long[] byCount = new long[3];
    }

    static WordLanguageModel estimate(List<String> sentences, int order) {
        if (sentences == null) {
            throw new IllegalArgumentException("sentences: got null, expected a list of training sentences");
        }
        if (order < 1 || order > 9) {
            throw new IllegalArgumentException("order: got " + order + ", expected an n-gram order in [1, 9]");
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        ids.put(WordLanguageModel.UNKNOWN, 0);
        ids.put(WordLanguageModel.SENTENCE_START, 1);
        ids.put(WordLanguageModel.SENTENCE_END, 2);
        List<int[]> corpus = new ArrayList<>();
        for (int s = 0; s < sentences.size(); s++) {
            String sentence = sentences.get(s);
            if (sentence == null) {
                throw new IllegalArgumentException("sentences[" + s + "]: got null, expected a sentence");
            }
            String trimmed = sentence.trim();
            String[] words = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
            int[] tokens = new int[words.length + 2];
            tokens[0] = 1;
            tokens[tokens.length - 1] = 2;
            for (int i = 0; i < words.length; i++) {
                if (words[i].equals(WordLanguageModel.UNKNOWN) || words[i].equals(WordLanguageModel.SENTENCE_START)
                        || words[i].equals(WordLanguageModel.SENTENCE_END)) {
                    throw new IllegalArgumentException("sentences[" + s + "]: got the word \"" + words[i]
                            + "\", expected ordinary words (" + WordLanguageModel.SENTENCE_START + ", "
                            + WordLanguageModel.SENTENCE_END + " and " + WordLanguageModel.UNKNOWN
                            + " are added by the estimator)");
                }
                tokens[i + 1] = ids.computeIfAbsent(words[i], w -> ids.size());
            }
            corpus.add(tokens);
        }
        if (ids.size() == 3) {
            throw new IllegalArgumentException("sentences: got " + sentences.size() + " sentences without words,"
                    + " expected at least one word (an empty vocabulary cannot be estimated)");
        }
        int vocabulary = ids.size();

        // adjusted[m - 1]: order m n-gram -> adjusted count
        List<Map<Gram, Long>> adjusted = new ArrayList<>();
        for (int m = 1; m <= order; m++) {
            adjusted.add(new HashMap<>());
        }
        List<Map<Gram, Set<Integer>>> predecessors = new ArrayList<>();
        for (int m = 1; m <= order; m++) {
            predecessors.add(new HashMap<>());
        }
        for (int[] tokens : corpus) {
            for (int i = 1; i < tokens.length; i++) {
                for (int m = 1; m <= order && i - m + 1 >= 0; m++) {
                    Gram gram = new Gram(Arrays.copyOfRange(tokens, i - m + 1, i + 1));
                    if (m == order || gram.ids[0] == 1) {
                        adjusted.get(m - 1).merge(gram, 1L, Long::sum);
                    } else {
                        predecessors.get(m - 1).computeIfAbsent(gram, g -> new HashSet<>()).add(tokens[i - m]);
                    }
                }
            }
        }
        for (int m = 1; m < order; m++) {
            for (Map.Entry<Gram, Set<Integer>> e : predecessors.get(m - 1).entrySet()) {
                adjusted.get(m - 1).put(e.getKey(), (long) e.getValue().size());
            }
        }

        double[][] discounts = new double[order][];
        List<Map<Gram, HistoryStats>> histories = new ArrayList<>();
        for (int m = 1; m <= order; m++) {
            discounts[m - 1] = discounts(adjusted.get(m - 1));
            Map<Gram, HistoryStats> stats = new HashMap<>();
            for (Map.Entry<Gram, Long> e : adjusted.get(m - 1).entrySet()) {
                HistoryStats h = stats.computeIfAbsent(e.getKey().history(), g -> new HistoryStats());
                h.total += e.getValue();
                h.byCount[(int) Math.min(e.getValue(), 3) - 1]++;
            }
            histories.add(stats);
        }

        // Interpolated probabilities, order by order; p(w | h) for n-grams seen.
        List<Map<Gram, Double>> probability = new ArrayList<>();
        for (int m = 1; m <= order; m++) {
            Map<Gram, Double> p = new HashMap<>();
            for (Map.Entry<Gram, Long> e : adjusted.get(m - 1).entrySet()) {
                Gram gram = e.getKey();
                p.put(gram, interpolated(gram, e.getValue(), m, adjusted, histories, discounts, probability,
                        vocabulary));
            }
            probability.add(p);
        }

        String[] words = ids.keySet().toArray(new String[0]);
        double[] unigramLog10 = new double[vocabulary];
        double[] unigramBackoff = new double[vocabulary];
        Map<Gram, Double> unigrams = probability.get(0);
        HistoryStats root = histories.get(0).get(new Gram(new int[0]));
        double rootGamma = gamma(root, discounts[0]);
        for (int id = 0; id < vocabulary; id++) {
            Double p = unigrams.get(new Gram(new int[]{id}));
            unigramLog10[id] = id == 1 ? -99 : Math.log10(p != null ? p : rootGamma / (vocabulary - 1));
            if (order > 1) {
                unigramBackoff[id] = backoff(new Gram(new int[]{id}), histories.get(1), discounts[1]);
            }
        }
        NGramTable[] tables = new NGramTable[order - 1];
        for (int m = 2; m <= order; m++) {
            NGramTable table = new NGramTable(m, probability.get(m - 1).size());
            for (Map.Entry<Gram, Double> e : probability.get(m - 1).entrySet()) {
                double backoff = m < order ? backoff(e.getKey(), histories.get(m), discounts[m]) : 0;
                table.put(e.getKey().ids, Math.log10(e.getValue()), backoff);
            }
            tables[m - 2] = table;
        }
        return new WordLanguageModel(words, unigramLog10, unigramBackoff, tables);
    }

    /** p(w | h) of a seen n-gram of order m with adjusted count a. */
    private static double interpolated(Gram gram, long a, int m, List<Map<Gram, Long>> adjusted,
                                       List<Map<Gram, HistoryStats>> histories, double[][] discounts,
                                       List<Map<Gram, Double>> probability, int vocabulary) {
        HistoryStats h = histories.get(m - 1).get(gram.history());
        double discount = discounts[m - 1][(int) Math.min(a, 3) - 1];
        double lower = m == 1 ? 1.0 / (vocabulary - 1) : lowerOrder(gram.suffix(), m - 1, histories, discounts,
                probability);
        return Math.max(a - discount, 0) / h.total + gamma(h, discounts[m - 1]) * lower;
    }

    /** p(w | h) at order m for any n-gram (seen or not): the seen value, or gamma(h) times the next order down. */
    private static double lowerOrder(Gram gram, int m, List<Map<Gram, HistoryStats>> histories,
                                     double[][] discounts, List<Map<Gram, Double>> probability) {
        Double seen = probability.get(m - 1).get(gram);
        if (seen != null) {
            return seen;
        }
        if (m == 1) {
            // Every suffix of a seen n-gram is seen, so the unigram of a seen n-gram always is.
            throw new IllegalStateException("unigram " + Arrays.toString(gram.ids) + " not counted");
        }
        HistoryStats h = histories.get(m - 1).get(gram.history());
        double weight = h == null ? 1 : gamma(h, discounts[m - 1]);
        return weight * lowerOrder(gram.suffix(), m - 1, histories, discounts, probability);
    }

    private static double gamma(HistoryStats h, double[] d) {
        return (d[0] * h.byCount[0] + d[1] * h.byCount[1] + d[2] * h.byCount[2]) / h.total;
    }

    /** log10 gamma(g) if g is a history at the next order, else 0. */
    private static double backoff(Gram gram, Map<Gram, HistoryStats> nextOrderHistories, double[] d) {
        HistoryStats h = nextOrderHistories.get(gram);
        return h == null ? 0 : Math.log10(gamma(h, d));
    }

    /** {D1, D2, D3+} from the counts-of-counts of one order (see the class comment for the fallbacks). */
    static double[] discounts(Map<Gram, Long> adjusted) {
        long[] t = new long[5];
        for (long a : adjusted.values()) {
            if (a <= 4) {
                t[(int) a]++;
            }
        }
        return discounts(t[1], t[2], t[3], t[4]);
    }

    static double[] discounts(long t1, long t2, long t3, long t4) {
        if (t1 == 0 || t2 == 0) {
            return new double[]{0.5, 0.5, 0.5};
        }
        double y = (double) t1 / (t1 + 2 * t2);
        if (t3 > 0 && t4 > 0) {
            double[] d = {1 - 2 * y * t2 / t1, 2 - 3 * y * t3 / t2, 3 - 4 * y * t4 / t3};
            if (d[0] > 0 && d[0] < 1 && d[1] > 0 && d[1] < 2 && d[2] > 0 && d[2] < 3) {
                return d;
            }
        }
        return new double[]{y, y, y};
    }
}
