package io.github.dl4jctc.zoo.asr;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResamplerTest {

    @Test
    void tabulatedKernelMatchesTheExactWindowedSinc() {
        for (double x = 0; x < 9; x += 0.0137) {
            assertEquals(Resampler.exactKernel(x), Resampler.kernel(x), 1e-5, "x = " + x);
        }
        assertEquals(1.0, Resampler.kernel(0), 1e-9);
        assertEquals(0.0, Resampler.kernel(3), 1e-5);     // a zero crossing of the sinc
    }

    @Test
    void downsamplingRemovesWhatTheNewRateCannotHold() {
        // 6 kHz is above the 4 kHz Nyquist frequency of 8 kHz audio: it must not alias into the output.
        float[] high = new float[16_000];
        for (int i = 0; i < high.length; i++) {
            high[i] = (float) Math.sin(2 * Math.PI * 6000 * i / 16_000);
        }
        float[] down = Resampler.resample(high, 16_000, 8_000);
        double sumSq = 0;
        for (int i = 500; i < 7500; i++) {
            sumSq += down[i] * down[i];
        }
        assertEquals(0, Math.sqrt(sumSq / 7000), 0.01);
    }

    @Test
    void rejectsNonPositiveRates() {
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[4], 0, 16_000));
    }
}
