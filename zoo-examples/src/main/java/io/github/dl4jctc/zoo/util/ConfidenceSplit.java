package io.github.dl4jctc.zoo.util;

import io.github.dl4jctc.layer.decode.TokenSpan;

import java.util.List;
import java.util.Locale;

/**
 * The mean confidence of right and of wrong tokens: a token read is right when the minimum-edit alignment with the
 * reference pairs it with an equal token ({@link SequenceAlignment}), wrong when it is substituted or inserted.
 * Confidences are {@link TokenSpan#score()}.
 *
 * @param right          right tokens
 * @param rightSum       sum of their confidences
 * @param wrong          wrong tokens
 * @param wrongSum       sum of their confidences
 */
public record ConfidenceSplit(long right, double rightSum, long wrong, double wrongSum) {

    /** No tokens yet. */
    public static final ConfidenceSplit EMPTY = new ConfidenceSplit(0, 0, 0, 0);

    /**
     * @param reference  the reference tokens
     * @param hypothesis the tokens read
     * @param spans      one span per token read, with its confidence
     * @return this split with the tokens of one sequence added
     */
    public ConfidenceSplit plus(List<?> reference, List<?> hypothesis, List<TokenSpan> spans) {
        if (spans.size() != hypothesis.size()) {
            throw new IllegalArgumentException("spans: got " + spans.size() + ", expected one per hypothesis token ("
                    + hypothesis.size() + ")");
        }
        boolean[] matched = SequenceAlignment.matchedHypothesis(reference, hypothesis);
        long r = right;
        long w = wrong;
        double rs = rightSum;
        double ws = wrongSum;
        for (int j = 0; j < matched.length; j++) {
            if (matched[j]) {
                r++;
                rs += spans.get(j).score();
            } else {
                w++;
                ws += spans.get(j).score();
            }
        }
        return new ConfidenceSplit(r, rs, w, ws);
    }

    /** @return mean confidence of the right tokens (NaN for none) */
    public double meanRight() {
        return right == 0 ? Double.NaN : rightSum / right;
    }

    /** @return mean confidence of the wrong tokens (NaN for none) */
    public double meanWrong() {
        return wrong == 0 ? Double.NaN : wrongSum / wrong;
    }

    /** @return e.g. {@code right 0.962 (1830 tokens), wrong 0.611 (41 tokens)} */
    public String summary() {
        return String.format(Locale.ROOT, "right %.3f (%d tokens), wrong %.3f (%d tokens)", meanRight(), right,
                meanWrong(), wrong);
    }
}
