package io.github.dl4jctc.zoo.asr;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreeTtsSynthesizerTest {

    private static FreeTtsSynthesizer synthesizer;

    @BeforeAll
    static void loadVoice() {
        synthesizer = new FreeTtsSynthesizer();
    }

    @AfterAll
    static void close() {
        synthesizer.close();
    }

    @Test
    void speaksAudibleSpeechOfPlausibleLengthDeterministically() {
        float[] audio = synthesizer.synthesize("three seven nine", 150, 100, 11);
        double seconds = audio.length / (double) FreeTtsSynthesizer.SAMPLE_RATE;
        assertTrue(seconds > 0.6 && seconds < 3, "duration " + seconds + " s");
        assertTrue(UtteranceGenerator.rms(audio) > 0.02, "rms " + UtteranceGenerator.rms(audio));
        for (float v : audio) {
            assertTrue(v >= -1f && v <= 1f);
        }
        assertArrayEquals(audio, synthesizer.synthesize("three seven nine", 150, 100, 11));
    }

    @Test
    void fasterRateGivesShorterAudioAndPitchChangesTheSamples() {
        int normal = synthesizer.synthesize("four five six", 150, 100, 11).length;
        int fast = synthesizer.synthesize("four five six", 220, 100, 11).length;
        assertTrue(fast < 0.85 * normal, "fast " + fast + " vs normal " + normal);
        float[] low = synthesizer.synthesize("four", 150, 80, 11);
        float[] high = synthesizer.synthesize("four", 150, 140, 11);
        assertFalse(java.util.Arrays.equals(low, high));
    }

    @Test
    void rejectsProsodyOutOfRangeAndEmptyText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> synthesizer.synthesize("one", 1000, 100, 11));
        assertTrue(e.getMessage().contains("rateWpm") && e.getMessage().contains("1000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> synthesizer.synthesize(" ", 150, 100, 11));
    }

    @Test
    void wordTimesAreContiguousAndBoundTheSpeech() {
        FreeTtsSynthesizer.Speech speech = synthesizer.synthesizeWords("six go stop six", 150, 100, 11);
        List<TimedWord> words = speech.words();
        assertEquals(List.of("six", "go", "stop", "six"), words.stream().map(TimedWord::word).toList());
        // FreeTTS starts with a pause of 0.2 s at 150 words/min; words follow each other phone to phone.
        assertEquals(0.2, words.get(0).start(), 1e-6);
        for (int i = 1; i < words.size(); i++) {
            assertEquals(words.get(i - 1).end(), words.get(i).start(), 1e-9);
            assertTrue(words.get(i).end() > words.get(i).start() + 0.1, words.get(i).toString());
        }
        double seconds = speech.samples().length / (double) FreeTtsSynthesizer.SAMPLE_RATE;
        double end = words.get(words.size() - 1).end();
        assertTrue(end < seconds && end > seconds - 0.2, "last word ends at " + end + " of " + seconds + " s");
        // The audio before the first word and after the last one is quiet; the words are not.
        float[] samples = speech.samples();
        int first = (int) (words.get(0).start() * FreeTtsSynthesizer.SAMPLE_RATE);
        int last = (int) (end * FreeTtsSynthesizer.SAMPLE_RATE);
        double before = UtteranceGenerator.rms(java.util.Arrays.copyOfRange(samples, 0, first - 160));
        double after = UtteranceGenerator.rms(java.util.Arrays.copyOfRange(samples, last + 480, samples.length));
        double during = UtteranceGenerator.rms(java.util.Arrays.copyOfRange(samples, first, last));
        assertTrue(before < 0.01 * during && after < 0.01 * during, "rms before " + before + ", during " + during
                + ", after " + after);
        assertArrayEquals(samples, synthesizer.synthesize("six go stop six", 150, 100, 11));
    }
}
