package io.github.dl4jctc.layer.decode;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One decoding result: a labelling (class indices, blanks removed, repeats collapsed) and its log score.
 *
 * <p>What the score means depends on the decoder: {@link CtcGreedyDecoder} gives the log probability of the best
 * path alone; {@link CtcBeamSearchDecoder} gives the log probability of the labelling summed over its paths, plus
 * the language-model and insertion terms when configured.
 */
public final class CtcHypothesis implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int[] labels;
    private final double logScore;

    /**
     * @param labels   class indices of the labelling (copied)
     * @param logScore natural-log score
     */
    public CtcHypothesis(int[] labels, double logScore) {
        this.labels = Objects.requireNonNull(labels, "labels").clone();
        this.logScore = logScore;
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

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CtcHypothesis)) {
            return false;
        }
        CtcHypothesis other = (CtcHypothesis) o;
        return Double.compare(logScore, other.logScore) == 0 && Arrays.equals(labels, other.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + Double.hashCode(logScore);
    }

    @Override
    public String toString() {
        return "CtcHypothesis" + Arrays.toString(labels) + " logScore=" + logScore;
    }
}
