package io.github.dl4jctc.zoo.asr;

/**
 * Band-limited resampling with a Hann-windowed sinc (8 zero crossings each side), low-pass filtered at the lower
 * of the two Nyquist frequencies so that downsampling does not alias.
 *
 * <p>The kernel depends only on {@code x = cutoff * distance}, so it is tabulated once (512 points per zero crossing,
 * linear interpolation between them, error below 1e-5): evaluating sin and cos per tap made resampling most of the
 * cost of a synthetic utterance.
 */
public final class Resampler {

    private static final int ZERO_CROSSINGS = 8;
    private static final int TABLE_RESOLUTION = 512;
    /** Kernel at x = i / TABLE_RESOLUTION for i = 0 .. ZERO_CROSSINGS * TABLE_RESOLUTION (+1 guard entry). */
    private static final float[] KERNEL = kernelTable();

    private Resampler() {
    }

    /**
     * @param samples  input samples
     * @param fromRate the input's sample rate (Hz), positive
     * @param toRate   the output's sample rate (Hz), positive
     * @return {@code round(samples.length * toRate / fromRate)} samples at {@code toRate}
     */
    public static float[] resample(float[] samples, double fromRate, double toRate) {
        if (!(fromRate > 0) || !(toRate > 0)) {
            throw new IllegalArgumentException("fromRate, toRate: got " + fromRate + ", " + toRate
                    + ", expected positive rates");
        }
        if (fromRate == toRate) {
            return samples.clone();
        }
        double ratio = toRate / fromRate;
        double cutoff = Math.min(1.0, ratio);          // as a fraction of the input's Nyquist frequency
        double halfWidth = ZERO_CROSSINGS / cutoff;    // in input samples
        int outLength = (int) Math.round(samples.length * ratio);
        float[] out = new float[outLength];
        for (int j = 0; j < outLength; j++) {
            double t = j / ratio;
            int first = Math.max(0, (int) Math.ceil(t - halfWidth));
            int last = Math.min(samples.length - 1, (int) Math.floor(t + halfWidth));
            double acc = 0;
            for (int k = first; k <= last; k++) {
                acc += samples[k] * kernel(cutoff * Math.abs(t - k));
            }
            out[j] = (float) (cutoff * acc);
        }
        return out;
    }

    /** The windowed sinc at {@code x >= 0} (zero from {@link #ZERO_CROSSINGS} on), interpolated from the table. */
    static double kernel(double x) {
        double position = x * TABLE_RESOLUTION;
        int i = (int) position;
        if (i >= ZERO_CROSSINGS * TABLE_RESOLUTION) {
            return 0;
        }
        double f = position - i;
        return KERNEL[i] + f * (KERNEL[i + 1] - KERNEL[i]);
    }

    /** The exact windowed sinc: {@code sinc(x) * hann(x / ZERO_CROSSINGS)}. */
    static double exactKernel(double x) {
        if (Math.abs(x) >= ZERO_CROSSINGS) {
            return 0;
        }
        double window = 0.5 + 0.5 * Math.cos(Math.PI * x / ZERO_CROSSINGS);
        double sinc = Math.abs(x) < 1e-9 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
        return sinc * window;
    }

    private static float[] kernelTable() {
        float[] table = new float[ZERO_CROSSINGS * TABLE_RESOLUTION + 2];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) exactKernel(i / (double) TABLE_RESOLUTION);
        }
        return table;
    }
}
