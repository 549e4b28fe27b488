package io.github.dl4jctc.zoo.asr;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogMelSpectrogramTest {

    private final LogMelSpectrogram spectrogram = LogMelSpectrogram.speech16k();

    private static float[] tone(double hz, int samples) {
        float[] audio = new float[samples];
        for (int i = 0; i < samples; i++) {
            audio[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / 16_000));
        }
        return audio;
    }

    @Test
    void frameCountFollowsWindowAndHop() {
        assertEquals(1, spectrogram.frames(100));
        assertEquals(1, spectrogram.frames(400));
        assertEquals(2, spectrogram.frames(401));
        assertEquals(98, spectrogram.frames(15_920));   // 1 + (15920 - 400) / 160
        assertEquals(99, spectrogram.frames(15_921));   // one more sample starts another, zero-padded frame
        assertEquals(99, spectrogram.compute(new float[16_000]).length);
    }

    @Test
    void aToneLightsUpTheBandAroundItsFrequency() {
        for (double hz : new double[]{300, 1000, 4000}) {
            float[][] frames = spectrogram.compute(tone(hz, 8000));
            float[] middle = frames[frames.length / 2];
            int loudest = 0;
            for (int m = 1; m < middle.length; m++) {
                if (middle[m] > middle[loudest]) {
                    loudest = m;
                }
            }
            // Centre of band m: mel edges spaced evenly from 20 Hz to 7.6 kHz, 40 bands.
            double minMel = LogMelSpectrogram.hzToMel(20);
            double step = (LogMelSpectrogram.hzToMel(7600) - minMel) / 41;
            double centre = LogMelSpectrogram.melToHz(minMel + (loudest + 1) * step);
            assertTrue(Math.abs(centre - hz) / hz < 0.15, hz + " Hz peaked in band " + loudest + " (" + centre
                    + " Hz)");
            assertTrue(middle[loudest] - middle[(loudest + 20) % 40] > 5, "peak should stand out by > 5 nats");
        }
    }

    @Test
    void melScaleRoundTrips() {
        assertEquals(1000, LogMelSpectrogram.melToHz(LogMelSpectrogram.hzToMel(1000)), 1e-9);
        assertEquals(1000, LogMelSpectrogram.hzToMel(1000), 0.1);   // by construction of the HTK formula
    }

    @Test
    void rejectsBandsAboveNyquist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LogMelSpectrogram(16_000, 400, 160, 40, 20, 9000));
        assertTrue(e.getMessage().contains("9000"), e.getMessage());
    }
}
