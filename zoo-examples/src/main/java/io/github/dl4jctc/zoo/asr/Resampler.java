package io.github.dl4jctc.zoo.asr;

/**
 * Band-limited resampling with a Hann-windowed sinc (16 zero crossings each side), low-pass filtered at the lower
 * of the two Nyquist frequencies so that downsampling does not alias.
 */
public final class Resampler {

    private static final int ZERO_CROSSINGS = 16;

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
            throw new IllegalArgumentException("fromRate and toRate must be positive, got " + fromRate + " and "
                    + toRate);
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
                double d = t - k;
                double window = 0.5 + 0.5 * Math.cos(Math.PI * d / halfWidth);
                acc += samples[k] * cutoff * sinc(cutoff * d) * window;
            }
            out[j] = (float) acc;
        }
        return out;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-9) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }
}
