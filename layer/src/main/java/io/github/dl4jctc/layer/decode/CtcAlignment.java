package io.github.dl4jctc.layer.decode;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The forced alignment of one sample ({@link CtcForcedAligner}): the most probable CTC path that produces the
 * sample's target, as torchaudio's {@code forced_align} gives it, and its token spans as torchaudio's
 * {@code merge_tokens} gives them.
 *
 * <p>A sample that cannot be aligned ({@link #feasible()} false: fewer frames than its labels plus the blanks
 * forced between repeated labels, or every path crosses a log-probability of -inf) has empty frame arrays, no spans
 * and log-probability -inf.
 */
public final class CtcAlignment implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int[] frameLabels;
    private final double[] frameScores;
    private final double logProbability;
    private final TokenSpan[] spans;
    private final boolean feasible;

    private CtcAlignment(int[] frameLabels, double[] frameScores, double logProbability, TokenSpan[] spans,
                         boolean feasible) {
        this.frameLabels = frameLabels;
        this.frameScores = frameScores;
        this.logProbability = logProbability;
        this.spans = spans;
        this.feasible = feasible;
    }

    static CtcAlignment of(CtcViterbi.Path path, int blank) {
        if (path == null) {
            return new CtcAlignment(new int[0], new double[0], Double.NEGATIVE_INFINITY, new TokenSpan[0], false);
        }
        return new CtcAlignment(path.frameLabels(), path.frameScores(), path.logProbability(),
                TokenSpans.merge(path.frameLabels(), path.frameScores(), blank).toArray(new TokenSpan[0]), true);
    }

    /** @return whether the target could be aligned (a path of finite log-probability exists) */
    public boolean feasible() {
        return feasible;
    }

    /**
     * @return the label of every valid frame along the most probable path, blanks included (length = the sample's
     *         input length; empty when not {@link #feasible()})
     */
    public int[] frameLabels() {
        return frameLabels.clone();
    }

    /** @return the natural-log probability of each frame's label, same length as {@link #frameLabels()} */
    public double[] frameScores() {
        return frameScores.clone();
    }

    /**
     * @return the natural-log probability of the path: the sum of {@link #frameScores()} from frame 0 on (0 for an
     *         empty target over no frames, -inf when not feasible)
     */
    public double logProbability() {
        return logProbability;
    }

    /**
     * @return one span per target label, in order: its frames {@code [start, end)} and the mean probability of the
     *         label over them (unmodifiable; empty when not feasible)
     */
    public List<TokenSpan> spans() {
        return List.of(spans);
    }

    /**
     * @param delimiter the class separating words (e.g. the space character's index)
     * @return the words of the target with their frames and confidence ({@link TokenSpans#words})
     */
    public List<WordSpan> words(int delimiter) {
        return TokenSpans.words(spans(), delimiter);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CtcAlignment)) {
            return false;
        }
        CtcAlignment other = (CtcAlignment) o;
        return feasible == other.feasible && Double.compare(logProbability, other.logProbability) == 0
                && Arrays.equals(frameLabels, other.frameLabels) && Arrays.equals(frameScores, other.frameScores)
                && Arrays.equals(spans, other.spans);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(frameLabels) * 31 + Double.hashCode(logProbability);
    }

    @Override
    public String toString() {
        return feasible ? "CtcAlignment(logProbability=" + logProbability + ", frameLabels="
                + Arrays.toString(frameLabels) + ")" : "CtcAlignment(infeasible)";
    }
}
