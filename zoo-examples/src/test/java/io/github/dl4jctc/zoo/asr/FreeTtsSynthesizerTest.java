package io.github.dl4jctc.zoo.asr;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
