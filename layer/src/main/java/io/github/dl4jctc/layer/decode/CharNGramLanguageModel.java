package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcVocabulary;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An n-gram model over the labels of a {@link CtcVocabulary} (characters, or tokens for a token vocabulary) with
 * add-k smoothing, trained by counting.
 *
 * <p>{@code P(c | h) = (count(h, c) + k) / (count(h) + k * V)}, where h is the last {@code order - 1} labels
 * (padded with a start-of-text marker at the beginning of a text) and V the number of non-blank classes. An unseen
 * context therefore gives the uniform {@code 1 / V}. End of text is not modelled (the beam search never asks).
 */
public final class CharNGramLanguageModel implements CtcLanguageModel {

    private static final long serialVersionUID = 1L;
    /** Stands for "before the start of the text" in a context. */
    private static final int START = -1;

    private int order;
    private double k;
    private int numClasses;
    private int blankIndex;
    /** Context key -> count per class index; the extra last slot holds the context's total. */
    private Map<String, long[]> counts;

    private CharNGramLanguageModel() {
        // for Jackson
    }

    private CharNGramLanguageModel(int order, double k, int numClasses, int blankIndex, Map<String, long[]> counts) {
        this.order = order;
        this.k = k;
        this.numClasses = numClasses;
        this.blankIndex = blankIndex;
        this.counts = counts;
    }

    /**
     * @param texts      training texts, each encodable by {@code vocabulary}
     * @param vocabulary the vocabulary of the CTC output the model will score
     * @param order      n, {@code >= 1} (1 = unigram: no context)
     * @param k          add-k smoothing constant, {@code > 0} (1 = Laplace)
     * @throws IllegalArgumentException on an order below 1, a k that is not a positive finite number, or a text
     *                                  the vocabulary cannot encode
     */
    public static CharNGramLanguageModel train(List<String> texts, CtcVocabulary vocabulary, int order, double k) {
        if (texts == null || vocabulary == null) {
            throw new IllegalArgumentException((texts == null ? "texts" : "vocabulary") + ": got null, expected a "
                    + (texts == null ? "list of training texts" : "CtcVocabulary"));
        }
        if (order < 1) {
            throw new IllegalArgumentException("order: got " + order + ", expected >= 1");
        }
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("k: got " + k + ", expected a positive finite smoothing constant");
        }
        Map<String, long[]> counts = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            int[] labels;
            try {
                labels = vocabulary.encode(texts.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("texts[" + i + "]: " + e.getMessage(), e);
            }
            for (int j = 0; j < labels.length; j++) {
                long[] row = counts.computeIfAbsent(contextKey(labels, j, order),
                        key -> new long[vocabulary.size() + 1]);
                row[labels[j]]++;
                row[vocabulary.size()]++;
            }
        }
        return new CharNGramLanguageModel(order, k, vocabulary.size(), vocabulary.blankIndex(), counts);
    }

    @Override
    public double logProbability(int[] prefix, int nextLabel) {
        if (nextLabel < 0 || nextLabel >= numClasses || nextLabel == blankIndex) {
            throw new IllegalArgumentException("nextLabel: got " + nextLabel + ", expected a class index in [0, "
                    + numClasses + ") other than the blank " + blankIndex);
        }
        long[] row = counts.get(contextKey(prefix, prefix.length, order));
        long count = row == null ? 0 : row[nextLabel];
        long total = row == null ? 0 : row[numClasses];
        int nonBlankClasses = numClasses - 1;
        return Math.log((count + k) / (total + k * nonBlankClasses));
    }

    /** @return n, the number of labels per n-gram */
    public int order() {
        return order;
    }

    /** The last {@code order - 1} labels before {@code position}, START where they run off the beginning. */
    private static String contextKey(int[] labels, int position, int order) {
        StringBuilder key = new StringBuilder();
        for (int i = position - (order - 1); i < position; i++) {
            key.append(i < 0 ? START : labels[i]).append(',');
        }
        return key.toString();
    }

    @Override
    public String toString() {
        return "CharNGramLanguageModel(order=" + order + ", k=" + k + ", classes=" + numClasses + ", contexts="
                + counts.size() + ")";
    }
}
