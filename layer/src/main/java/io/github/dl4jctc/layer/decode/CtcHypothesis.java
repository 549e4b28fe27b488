package io.github.dl4jctc.layer.decode;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * One decoding result: a labelling (class indices, blanks removed, repeats collapsed), its log score and, when the
 * decoder computed them, one {@link TokenSpan} per label: where the label was emitted and its confidence (defined in
 * {@link TokenSpans}).
 *
 * <p>What the score means depends on the decoder: {@link CtcGreedyDecoder} gives the log probability of the best
 * path alone; {@link CtcBeamSearchDecoder} gives the log probability of the labelling summed over its paths, plus
 * the language-model and insertion terms when configured.
 */
public final class CtcHypothesis implements Serializable {

    private static final long serialVersionUID = 2L;

    private final int[] labels;
    private final double logScore;
    /** One per label, or null when the decoder computed none. */
    private final TokenSpan[] spans;

    /**
     * A hypothesis without spans.
     *
     * @param labels   class indices of the labelling (copied)
     * @param logScore natural-log score
     */
    public CtcHypothesis(int[] labels, double logScore) {
        this(labels, logScore, null);
    }

    /**
     * @param labels   class indices of the labelling (copied)
     * @param logScore natural-log score
     * @param spans    one span per label, in order, with {@code spans.get(i).token() == labels[i]} and spans that do
     *                 not overlap; or null for none
     * @throws IllegalArgumentException if the spans do not match the labels so
     */
    public CtcHypothesis(int[] labels, double logScore, List<TokenSpan> spans) {
        if (labels == null) {
            throw new IllegalArgumentException("labels: got null, expected the class indices of a labelling");
        }
        this.labels = labels.clone();
        this.logScore = logScore;
        this.spans = spans == null ? null : checkedSpans(this.labels, spans);
    }

    private static TokenSpan[] checkedSpans(int[] labels, List<TokenSpan> spans) {
        TokenSpan[] array = spans.toArray(new TokenSpan[0]);
        if (array.length != labels.length) {
            throw new IllegalArgumentException("spans: got " + array.length + " spans, expected one per label ("
                    + labels.length + ")");
        }
        for (int i = 0; i < array.length; i++) {
            if (array[i] == null || array[i].token() != labels[i]
                    || (i > 0 && array[i].startFrame() < array[i - 1].endFrame())) {
                throw new IllegalArgumentException("spans: got " + array[i] + " at position " + i + ", expected a span"
                        + " of token " + labels[i] + (i > 0 ? " starting at or after frame " + array[i - 1].endFrame()
                        : ""));
            }
        }
        return array;
    }

    /**
     * @param spans one span per label, as for the constructor
     * @return this hypothesis (labels and score) with these spans
     */
    public CtcHypothesis withSpans(List<TokenSpan> spans) {
        if (spans == null) {
            throw new IllegalArgumentException("spans: got null, expected one span per label");
        }
        return new CtcHypothesis(labels, logScore, spans);
    }

    /** @return a copy of the class indices, blanks removed and repeats collapsed */
    public int[] labels() {
        return labels.clone();
    }

    /** @return the number of labels */
    public int length() {
        return labels.length;
    }

    /** @return the natural-log score (see the class comment for its meaning per decoder) */
    public double logScore() {
        return logScore;
    }

    /** @return whether this hypothesis carries token spans */
    public boolean hasSpans() {
        return spans != null;
    }

    /**
     * @return one span per label, in order: frames where it was emitted, and its confidence as
     *         {@link TokenSpan#score()} (unmodifiable)
     * @throws IllegalStateException if the decoder computed no spans ({@link #hasSpans()} is false)
     */
    public List<TokenSpan> spans() {
        if (spans == null) {
            throw new IllegalStateException("This hypothesis carries no spans: it was built without them");
        }
        return List.of(spans);
    }

    /**
     * @param delimiter the class separating words (e.g. the index of the space character)
     * @return the words: maximal runs of labels other than {@code delimiter}, with frames and confidence
     *         ({@link TokenSpans#words})
     * @throws IllegalStateException if the hypothesis carries no spans
     */
    public List<WordSpan> words(int delimiter) {
        return TokenSpans.words(spans(), delimiter);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CtcHypothesis)) {
            return false;
        }
        CtcHypothesis other = (CtcHypothesis) o;
        return Double.compare(logScore, other.logScore) == 0 && Arrays.equals(labels, other.labels)
                && Arrays.equals(spans, other.spans);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(labels) + Double.hashCode(logScore)) + Arrays.hashCode(spans);
    }

    @Override
    public String toString() {
        return "CtcHypothesis" + Arrays.toString(labels) + " logScore=" + logScore
                + (spans == null ? "" : " spans=" + Arrays.toString(spans));
    }
}
