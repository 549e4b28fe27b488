package io.github.dl4jctc.layer.decode;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenSpansTest {

    // Classes: 0 = blank, 1 = a, 2 = b, 3 = space.
    private static final double[] BLANK = {0.7, 0.1, 0.1, 0.1};
    private static final double[] A9 = {0.05, 0.9, 0.025, 0.025};
    private static final double[] A5 = {0.3, 0.5, 0.1, 0.1};
    private static final double[] B6 = {0.2, 0.1, 0.6, 0.1};
    private static final double[] SPACE = {0.2, 0.0, 0.0, 0.8};

    @Test
    void greedySpansAndConfidencesByHand() {
        // Path: a a _ a b space b   -> labels a a b space b
        double[][][] frames = {{A9, A5, BLANK, A5, B6, SPACE, B6}};
        CtcHypothesis h = new CtcGreedyDecoder().decode(Frames.ncw(frames), null).get(0);
        assertArrayEquals(new int[]{1, 1, 2, 3, 2}, h.labels());
        List<TokenSpan> spans = h.spans();
        assertEquals(5, spans.size());
        assertSpan(spans.get(0), 1, 0, 2, (0.9 + 0.5) / 2);
        assertSpan(spans.get(1), 1, 3, 4, 0.5);
        assertSpan(spans.get(2), 2, 4, 5, 0.6);
        assertSpan(spans.get(3), 3, 5, 6, 0.8);
        assertSpan(spans.get(4), 2, 6, 7, 0.6);

        List<WordSpan> words = h.words(3);
        assertEquals(2, words.size());
        assertEquals(new WordSpan(0, 3, 0, 5, 0.5), round(words.get(0)));
        assertEquals(new WordSpan(4, 5, 6, 7, 0.6), round(words.get(1)));
        // 20 ms frames: the first word is [0, 100) ms; 4 pixels per frame: the second is [24, 28) px.
        assertEquals(0.0, words.get(0).startTime(0.02), 1e-15);
        assertEquals(0.1, words.get(0).endTime(0.02), 1e-15);
        assertEquals(24.0, words.get(1).startTime(4), 0.0);
        assertEquals(28.0, words.get(1).endTime(4), 0.0);
        assertEquals(4 * 0.02, spans.get(2).startTime(0.02), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> spans.get(0).endTime(0));
        assertThrows(IllegalArgumentException.class, () -> spans.get(0).endTime(Double.NaN));
    }

    @Test
    void mergeIsTorchaudioMergeTokensOnProbabilities() {
        int[] path = {0, 2, 2, 0, 0, 2, 1, 1, 1, 0};
        double[] p = {0.5, 0.25, 0.75, 0.5, 0.5, 1.0, 0.5, 0.25, 0.75, 0.5};
        double[] log = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            log[i] = Math.log(p[i]);
        }
        List<TokenSpan> spans = TokenSpans.merge(path, log, 0);
        assertEquals(3, spans.size());
        assertSpan(spans.get(0), 2, 1, 3, 0.5);
        assertSpan(spans.get(1), 2, 5, 6, 1.0);
        assertSpan(spans.get(2), 1, 6, 9, 0.5);
        assertTrue(TokenSpans.merge(new int[]{0, 0}, new double[]{0, 0}, 0).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> TokenSpans.merge(new int[2], new double[3], 0));
    }

    @Test
    void wordsSkipRunsOfDelimitersAndEdges() {
        List<TokenSpan> spans = List.of(new TokenSpan(3, 0, 1, 0.9), new TokenSpan(1, 1, 2, 0.4),
                new TokenSpan(3, 2, 3, 0.9), new TokenSpan(3, 4, 5, 0.9), new TokenSpan(2, 6, 8, 0.7),
                new TokenSpan(1, 9, 10, 0.8));
        List<WordSpan> words = TokenSpans.words(spans, 3);
        assertEquals(List.of(new WordSpan(1, 2, 1, 2, 0.4), new WordSpan(4, 6, 6, 10, 0.7)), words);
        assertTrue(TokenSpans.words(List.of(new TokenSpan(3, 0, 1, 1.0)), 3).isEmpty());
    }

    @Test
    void beamHypothesesCarryTheSpansOfTheirViterbiPath() {
        double[][][] frames = {{{0.4, 0.6}, {0.5, 0.5}, {0.5, 0.5}}};
        CtcBeamSearchDecoder beam = new CtcBeamSearchDecoder.Builder().beamWidth(4).build();
        List<CtcHypothesis> nBest = beam.decodeNBest(Frames.ncw(frames), null, 2).get(0);
        CtcHypothesis best = nBest.get(0);
        assertArrayEquals(new int[]{1}, best.labels());
        // Paths of "a": a__, aa_, aaa .15 each, _a_, _aa, __a .1 each. Of the three tied at .15, torchaudio's rule
        // ends on the label (aaa) unless ending on a blank is strictly better.
        assertEquals(round(List.of(new TokenSpan(1, 0, 3, (0.6 + 0.5 + 0.5) / 3))), round(best.spans()));
        for (CtcHypothesis h : nBest) {
            assertEquals(h.length(), h.spans().size());
        }
    }

    @Test
    void hypothesisEqualitySpansAndSerialisation() throws Exception {
        CtcHypothesis plain = new CtcHypothesis(new int[]{1, 2}, -1.5);
        CtcHypothesis withSpans = plain.withSpans(List.of(new TokenSpan(1, 0, 2, 0.8), new TokenSpan(2, 3, 4, 0.6)));
        assertFalse(plain.hasSpans());
        assertThrows(IllegalStateException.class, plain::spans);
        assertTrue(withSpans.hasSpans());
        assertNotEquals(plain, withSpans);
        assertEquals(withSpans, plain.withSpans(withSpans.spans()));
        assertEquals(withSpans.hashCode(), plain.withSpans(withSpans.spans()).hashCode());
        assertEquals(withSpans, roundTrip(withSpans));
        assertEquals(plain, roundTrip(plain));
        assertThrows(IllegalArgumentException.class,
                () -> plain.withSpans(List.of(new TokenSpan(1, 0, 2, 0.8))), "one span per label");
        assertThrows(IllegalArgumentException.class,
                () -> plain.withSpans(List.of(new TokenSpan(1, 0, 2, 0.8), new TokenSpan(1, 3, 4, 0.6))));
        assertThrows(IllegalArgumentException.class,
                () -> plain.withSpans(List.of(new TokenSpan(1, 0, 2, 0.8), new TokenSpan(2, 1, 4, 0.6))));
    }

    private static CtcHypothesis roundTrip(CtcHypothesis h) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(h);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (CtcHypothesis) in.readObject();
        }
    }

    private static void assertSpan(TokenSpan span, int token, int start, int end, double score) {
        assertEquals(token, span.token());
        assertEquals(start, span.startFrame());
        assertEquals(end, span.endFrame());
        assertEquals(score, span.score(), 1e-12);
    }

    private static WordSpan round(WordSpan w) {
        return new WordSpan(w.firstToken(), w.endToken(), w.startFrame(), w.endFrame(),
                Math.round(w.confidence() * 1e9) / 1e9);
    }

    private static List<TokenSpan> round(List<TokenSpan> spans) {
        return spans.stream().map(s -> new TokenSpan(s.token(), s.startFrame(), s.endFrame(),
                Math.round(s.score() * 1e9) / 1e9)).toList();
    }
}
