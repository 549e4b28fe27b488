package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.decode.CtcHypothesis;
import io.github.dl4jctc.layer.decode.TokenSpan;
import io.github.dl4jctc.zoo.util.SequenceAlignment;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether read characters are where they were drawn: counts, over the non-space characters of reference lines, those
 * whose glyph centre ({@link TextLineRenderer.RenderedLine}) lies inside the predicted span of the character they
 * are read as.
 *
 * <p>Characters are matched through the minimum-edit alignment of the hypothesis with the reference
 * ({@link SequenceAlignment}, spaces included); a reference character that is missed, substituted or aligned with
 * nothing counts as a miss. Two spans are measured, in pixels ({@code frames * pixelsPerFrame}):
 * <ul>
 *   <li><b>strict</b>: the token's own frames {@code [start, end)} (CTC emits a character on one or two frames, so
 *   this is 4-8 pixels of a glyph about 10-20 pixels wide);</li>
 *   <li><b>segment</b>: the token's frames extended over the blank frames around it to the midpoints between it and
 *   its neighbouring tokens (spaces included), the first token to the left edge and the last to the right edge: the
 *   image cut into one piece per read character.</li>
 * </ul>
 */
public final class CharacterPositions {

    /**
     * Counts over a set of lines.
     *
     * @param characters   non-space reference characters
     * @param matched      those the alignment pairs with an equal character read
     * @param strictHits   those matched with a glyph centre inside the strict span
     * @param segmentHits  those matched with a glyph centre inside the segment span
     */
    public record Counts(long characters, long matched, long strictHits, long segmentHits) {

        /** No characters. */
        public static final Counts NONE = new Counts(0, 0, 0, 0);

        /** @return the counts of both */
        public Counts plus(Counts other) {
            return new Counts(characters + other.characters, matched + other.matched, strictHits + other.strictHits,
                    segmentHits + other.segmentHits);
        }

        /** @return segment hits / matched characters: how well the characters read right are placed (NaN for none) */
        public double segmentAccuracyOfMatched() {
            return matched == 0 ? Double.NaN : segmentHits / (double) matched;
        }

        /** @return strict hits / matched characters (NaN for none) */
        public double strictAccuracyOfMatched() {
            return matched == 0 ? Double.NaN : strictHits / (double) matched;
        }

        /** @return strict hits / characters (NaN for none) */
        public double strictAccuracy() {
            return characters == 0 ? Double.NaN : strictHits / (double) characters;
        }

        /** @return segment hits / characters (NaN for none) */
        public double segmentAccuracy() {
            return characters == 0 ? Double.NaN : segmentHits / (double) characters;
        }
    }

    private CharacterPositions() {
    }

    /**
     * @param reference      the line's text
     * @param glyphCentres   per character of {@code reference}, its glyph centre column (NaN for spaces)
     * @param read           the characters read, one per token of {@code spans}
     * @param spans          the tokens' frames, in order
     * @param pixelsPerFrame columns per frame
     * @param width          the image width in pixels (the right edge of the last segment)
     */
    public static Counts count(String reference, double[] glyphCentres, String read, List<TokenSpan> spans,
                               double pixelsPerFrame, double width) {
        if (glyphCentres.length != reference.length()) {
            throw new IllegalArgumentException("glyphCentres: got " + glyphCentres.length + ", expected one per"
                    + " reference character (" + reference.length() + ")");
        }
        if (spans.size() != read.length()) {
            throw new IllegalArgumentException("spans: got " + spans.size() + ", expected one per character read ("
                    + read.length() + ")");
        }
        int[] matched = SequenceAlignment.matches(characters(reference), characters(read));
        long characters = 0;
        long matchedCharacters = 0;
        long strict = 0;
        long segment = 0;
        for (int i = 0; i < reference.length(); i++) {
            if (reference.charAt(i) == ' ') {
                continue;
            }
            characters++;
            int j = matched[i];
            if (j < 0) {
                continue;
            }
            matchedCharacters++;
            double centre = glyphCentres[i];
            TokenSpan span = spans.get(j);
            if (centre >= span.startFrame() * pixelsPerFrame && centre < span.endFrame() * pixelsPerFrame) {
                strict++;
            }
            double left = j == 0 ? 0 : (spans.get(j - 1).endFrame() + span.startFrame()) / 2.0 * pixelsPerFrame;
            double right = j == spans.size() - 1 ? width
                    : (span.endFrame() + spans.get(j + 1).startFrame()) / 2.0 * pixelsPerFrame;
            if (centre >= left && centre < right) {
                segment++;
            }
        }
        return new Counts(characters, matchedCharacters, strict, segment);
    }

    /** {@link #count} for a hypothesis with spans, read with {@code vocabulary}-decoded characters. */
    public static Counts count(OcrSample sample, CtcHypothesis hypothesis, String read) {
        return count(sample.text(), sample.glyphCentres(), read,
                hypothesis.hasSpans() ? hypothesis.spans() : List.of(), CrnnModel.WIDTH_DOWNSAMPLING,
                sample.image().width());
    }

    /** @return the characters of {@code text} as a list, for {@link SequenceAlignment} */
    static List<Character> characters(String text) {
        List<Character> list = new ArrayList<>(text.length());
        for (int i = 0; i < text.length(); i++) {
            list.add(text.charAt(i));
        }
        return list;
    }
}
