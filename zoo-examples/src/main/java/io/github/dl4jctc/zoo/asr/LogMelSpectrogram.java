package io.github.dl4jctc.zoo.asr;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Log-mel spectrogram: pre-emphasis, Hann-windowed frames, power spectrum by FFT (JTransforms), triangular mel
 * filters (HTK mel scale, filters normalised to unit area so each band is a mean power), natural log.
 *
 * <p>Frames start every {@code hop} samples; a frame that would run past the end of the audio is zero-padded, and
 * audio shorter than one window still gives one frame. So there are
 * {@code max(1, 1 + ceil((samples - window) / hop))} frames.
 *
 * <p>Instances are thread-safe only if not shared: the FFT object and buffers are reused between calls.
 */
public final class LogMelSpectrogram {

    /** Added to the mel power before the logarithm, so that digital silence gives a finite value. */
    private static final float FLOOR = 1e-10f;

    private final int sampleRate;
    private final int window;
    private final int hop;
    private final int fftSize;
    private final int melBands;
    private final float[] hann;
    private final float[][] filters;   // [melBands][fftSize / 2 + 1]
    /** Each filter's non-zero bins are {@code firstBin[m] .. lastBin[m]}: the product skips the rest (20x fewer). */
    private final int[] firstBin;
    private final int[] lastBin;
    private final FloatFFT_1D fft;
    private final float[] buffer;

    /**
     * @param sampleRate audio sample rate in Hz
     * @param window     frame length in samples
     * @param hop        frame step in samples
     * @param melBands   number of mel filters
     * @param minHz      lower edge of the lowest filter
     * @param maxHz      upper edge of the highest filter, at most {@code sampleRate / 2}
     */
    public LogMelSpectrogram(int sampleRate, int window, int hop, int melBands, double minHz, double maxHz) {
        if (sampleRate < 1 || window < 2 || hop < 1 || melBands < 1) {
            throw new IllegalArgumentException("sampleRate, window, hop, melBands: got " + sampleRate + ", "
                    + window + ", " + hop + ", " + melBands + ", expected positive values (window >= 2)");
        }
        if (!(minHz >= 0 && minHz < maxHz && maxHz <= sampleRate / 2.0)) {
            throw new IllegalArgumentException("minHz, maxHz: got " + minHz + ", " + maxHz
                    + ", expected 0 <= minHz < maxHz <= sampleRate / 2 = " + sampleRate / 2.0);
        }
        this.sampleRate = sampleRate;
        this.window = window;
        this.hop = hop;
        this.fftSize = Integer.highestOneBit(window - 1) << 1;
        this.melBands = melBands;
        this.hann = new float[window];
        for (int i = 0; i < window; i++) {
            hann[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / window));
        }
        this.filters = melFilters(sampleRate, fftSize, melBands, minHz, maxHz);
        this.firstBin = new int[melBands];
        this.lastBin = new int[melBands];
        for (int m = 0; m < melBands; m++) {
            int first = 0;
            while (filters[m][first] == 0f) {
                first++;
            }
            int last = filters[m].length - 1;
            while (filters[m][last] == 0f) {
                last--;
            }
            firstBin[m] = first;
            lastBin[m] = last;
        }
        this.fft = new FloatFFT_1D(fftSize);
        this.buffer = new float[fftSize];
    }

    /** 25 ms windows every 10 ms, 40 bands from 20 Hz to 7.6 kHz, at 16 kHz: the speech example's features. */
    public static LogMelSpectrogram speech16k() {
        return new LogMelSpectrogram(16_000, 400, 160, 40, 20, 7_600);
    }

    public int melBands() {
        return melBands;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** @return the frame step in samples */
    public int hop() {
        return hop;
    }

    /** @return the number of frames for {@code samples} samples of audio */
    public int frames(int samples) {
        return samples <= window ? 1 : 1 + (samples - window + hop - 1) / hop;
    }

    /**
     * @param audio mono samples at {@link #sampleRate()}
     * @return log mel power {@code [frames][melBands]}
     */
    public float[][] compute(float[] audio) {
        int frames = frames(audio.length);
        float[][] out = new float[frames][melBands];
        int bins = fftSize / 2 + 1;
        float[] power = new float[bins];
        for (int f = 0; f < frames; f++) {
            int start = f * hop;
            java.util.Arrays.fill(buffer, 0f);
            for (int i = 0; i < window && start + i < audio.length; i++) {
                int n = start + i;
                // Pre-emphasis (0.97) lifts the high frequencies where consonants live.
                float x = audio[n] - (n > 0 ? 0.97f * audio[n - 1] : 0f);
                buffer[i] = x * hann[i];
            }
            fft.realForward(buffer);
            // JTransforms' packed layout: [re0, re(n/2), re1, im1, re2, im2, ...].
            power[0] = buffer[0] * buffer[0];
            power[bins - 1] = buffer[1] * buffer[1];
            for (int k = 1; k < bins - 1; k++) {
                float re = buffer[2 * k];
                float im = buffer[2 * k + 1];
                power[k] = re * re + im * im;
            }
            for (int m = 0; m < melBands; m++) {
                float[] filter = filters[m];
                double energy = 0;
                for (int k = firstBin[m]; k <= lastBin[m]; k++) {
                    energy += filter[k] * power[k];
                }
                out[f][m] = (float) Math.log(energy + FLOOR);
            }
        }
        return out;
    }

    static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /** Triangular filters on the mel scale, each normalised to sum 1 over the FFT bins. */
    private static float[][] melFilters(int sampleRate, int fftSize, int bands, double minHz, double maxHz) {
        int bins = fftSize / 2 + 1;
        double minMel = hzToMel(minHz);
        double maxMel = hzToMel(maxHz);
        double[] edges = new double[bands + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(minMel + (maxMel - minMel) * i / (bands + 1));
        }
        float[][] filters = new float[bands][bins];
        for (int m = 0; m < bands; m++) {
            double lo = edges[m];
            double mid = edges[m + 1];
            double hi = edges[m + 2];
            double sum = 0;
            for (int k = 0; k < bins; k++) {
                double hz = k * (double) sampleRate / fftSize;
                double w = hz <= lo || hz >= hi ? 0 : hz <= mid ? (hz - lo) / (mid - lo) : (hi - hz) / (hi - mid);
                filters[m][k] = (float) w;
                sum += w;
            }
            if (sum == 0) {
                // Narrower than one FFT bin (low bands, small FFT): use the nearest bin instead of a dead band.
                int nearest = (int) Math.round(mid * fftSize / sampleRate);
                filters[m][Math.min(bins - 1, nearest)] = 1f;
            } else {
                for (int k = 0; k < bins; k++) {
                    filters[m][k] /= (float) sum;
                }
            }
        }
        return filters;
    }
}
