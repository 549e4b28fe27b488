package io.github.dl4jctc.zoo.asr;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SpeechFeaturesTest {

    @Test
    void stacksThreeNormalisedFramesPerStep() {
        SpeechFeatures features = SpeechFeatures.defaults();
        float[] audio = new float[16_160];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.1 * random.nextGaussian());
        }
        float[][] logMel = features.normalisedLogMel(audio);
        float[][] steps = features.compute(audio);
        assertEquals(100, logMel.length);               // 1 + ceil((16160 - 400) / 160)
        assertEquals(34, steps.length);                 // ceil(100 / 3)
        assertEquals(34, features.steps(audio.length));
        assertEquals(120, steps[0].length);
        // Step 5 holds frames 15, 16, 17 side by side; the last step holds frame 99 and zero padding.
        for (int m = 0; m < 40; m++) {
            assertEquals(logMel[16][m], steps[5][40 + m]);
            assertEquals(logMel[99][m], steps[33][m]);
            assertEquals(0f, steps[33][40 + m]);
            assertEquals(0f, steps[33][80 + m]);
        }
        // Each band has mean 0 and standard deviation ~1 over the utterance.
        for (int m = 0; m < 40; m += 13) {
            double sum = 0;
            double sumSq = 0;
            for (float[] frame : logMel) {
                sum += frame[m];
                sumSq += frame[m] * frame[m];
            }
            assertEquals(0, sum / logMel.length, 1e-4);
            assertEquals(1, Math.sqrt(sumSq / logMel.length), 1e-2);
        }
    }

    @Test
    void silenceGivesFiniteFeatures() {
        float[][] steps = SpeechFeatures.defaults().compute(new float[4000]);
        for (float[] step : steps) {
            for (float v : step) {
                assertEquals(0f, v);
            }
        }
        assertArrayEquals(new int[]{8, 120}, new int[]{steps.length, steps[0].length});   // 24 frames
    }
}
