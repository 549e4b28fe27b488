package io.github.dl4jctc.layer.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Token and word spans of a path, and the definition of confidence shared by the decoders and
 * {@link CtcForcedAligner}.
 *
 * <h2>Definitions</h2>
 * <ul>
 *   <li><b>Path of a hypothesis</b>: the most probable CTC path (one label per frame, blanks included) that collapses
 *   to the hypothesis' labels. {@link CtcGreedyDecoder}: its best path (the most probable path of all, hence also of
 *   its own labelling). Beam hypotheses and forced alignment: the Viterbi path over the labelling, with torchaudio's
 *   {@code forced_align} tie-breaking.</li>
 *   <li><b>Token span</b>: a maximal run of frames of the path carrying the same non-blank label, {@code [start,
 *   end)} (torchaudio's {@code merge_tokens}). CTC separates repeated labels by a blank, so every token of the
 *   labelling has exactly one span.</li>
 *   <li><b>Token confidence</b> ({@link TokenSpan#score()}): the mean over the span's frames of the token's
 *   probability at that frame, {@code (1 / (end - start)) * sum_t p_t(token)}; in [0, 1]. It is what torchaudio's
 *   {@code merge_tokens} returns for {@code forced_align}'s exponentiated scores, and what NeMo calls the
 *   {@code max_prob} confidence for greedy decoding (there the token is the frame's most probable class).</li>
 *   <li><b>Word</b>: a maximal run of tokens other than the delimiter class (e.g. space); its frames run from its
 *   first token's start to its last token's end; its confidence is the minimum of its tokens' confidences.</li>
 * </ul>
 */
public final class TokenSpans {

    private TokenSpans() {
    }

    /**
     * torchaudio's {@code merge_tokens}: one span per maximal run of equal non-blank frame labels, scored by the mean
     * of {@code exp(frameLogScores)} over the run.
     *
     * @param frameLabels    the label of every frame (blanks included)
     * @param frameLogScores natural-log probability of each frame's label, same length
     * @param blank          the blank class
     * @throws IllegalArgumentException on null arrays or different lengths
     */
    public static List<TokenSpan> merge(int[] frameLabels, double[] frameLogScores, int blank) {
        if (frameLabels == null || frameLogScores == null || frameLabels.length != frameLogScores.length) {
            throw new IllegalArgumentException("frameLabels, frameLogScores: got lengths "
                    + (frameLabels == null ? "null" : frameLabels.length) + ", "
                    + (frameLogScores == null ? "null" : frameLogScores.length) + ", expected two arrays of equal length");
        }
        List<TokenSpan> spans = new ArrayList<>();
        int t = 0;
        while (t < frameLabels.length) {
            int label = frameLabels[t];
            int start = t;
            double sum = 0;
            while (t < frameLabels.length && frameLabels[t] == label) {
                sum += Math.exp(frameLogScores[t]);
                t++;
            }
            if (label != blank) {
                spans.add(new TokenSpan(label, start, t, sum / (t - start)));
            }
        }
        return spans;
    }

    /**
     * Words of a span list: maximal runs of spans whose token is not {@code delimiter}.
     *
     * @param spans     token spans in order (e.g. {@link CtcHypothesis#spans()})
     * @param delimiter the class that separates words (e.g. the space character's index)
     * @return the words in order; none when every token is the delimiter
     */
    public static List<WordSpan> words(List<TokenSpan> spans, int delimiter) {
        if (spans == null) {
            throw new IllegalArgumentException("spans: got null, expected a list of token spans");
        }
        List<WordSpan> words = new ArrayList<>();
        int first = -1;
        double confidence = 0;
        for (int i = 0; i <= spans.size(); i++) {
            boolean boundary = i == spans.size() || spans.get(i).token() == delimiter;
            if (boundary) {
                if (first >= 0) {
                    words.add(new WordSpan(first, i, spans.get(first).startFrame(), spans.get(i - 1).endFrame(),
                            confidence));
                    first = -1;
                }
            } else if (first < 0) {
                first = i;
                confidence = spans.get(i).score();
            } else {
                confidence = Math.min(confidence, spans.get(i).score());
            }
        }
        return words;
    }

    /**
     * {@code hypothesis} with the spans of its path over one sample's frames (see the class comment), for decoders
     * whose hypotheses carry no path (beam search).
     *
     * @param logProbs row-major {@code [frames * classes]} natural-log probabilities of the sample
     * @throws IllegalStateException if no path of finite probability produces the hypothesis' labels (a decoder
     *                               never returns such a hypothesis)
     */
    static CtcHypothesis withSpans(CtcHypothesis hypothesis, double[] logProbs, int frames, int classes, int blank) {
        int[] labels = hypothesis.labels();
        CtcViterbi.Path path = CtcViterbi.align(logProbs, 0, frames, classes, labels, blank);
        if (path == null) {
            throw new IllegalStateException("No path of finite probability over " + frames
                    + " frames produces the labels " + Arrays.toString(labels));
        }
        return hypothesis.withSpans(merge(path.frameLabels(), path.frameScores(), blank));
    }
}
