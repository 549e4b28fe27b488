package io.github.dl4jctc.zoo.asr;

/**
 * The speech network's input: log-mel frames, normalised per utterance (each band to mean 0 and standard deviation
 * 1 over the utterance, which removes the recording's gain and colour), then stacked {@code stack} at a time with
 * stride {@code stack} (the frame rate drops {@code stack}-fold, which makes the recurrent layers that much faster).
 *
 * <p>A trailing partial stack is padded with zeros (the normalised mean).
 */
public final class SpeechFeatures {

    private final LogMelSpectrogram spectrogram;
    private final int stack;

    /**
     * @param spectrogram the log-mel front end
     * @param stack       frames stacked into one network step, at least 1
     */
    public SpeechFeatures(LogMelSpectrogram spectrogram, int stack) {
        if (stack < 1) {
            throw new IllegalArgumentException("stack: got " + stack + ", expected at least 1");
        }
        this.spectrogram = spectrogram;
        this.stack = stack;
    }

    /** 40 log-mel bands at 16 kHz, three 10 ms frames per step: 120 values every 30 ms. */
    public static SpeechFeatures defaults() {
        return new SpeechFeatures(LogMelSpectrogram.speech16k(), 3);
    }

    /** @return values per network step ({@code stack * melBands}) */
    public int dimension() {
        return stack * spectrogram.melBands();
    }

    public int stack() {
        return stack;
    }

    public int sampleRate() {
        return spectrogram.sampleRate();
    }

    /**
     * @return seconds per network step ({@code stack * hop / sampleRate}): step {@code t} starts at
     *         {@code t * stepSeconds()}, the frame duration of the model's token spans
     */
    public double stepSeconds() {
        return stack * (double) spectrogram.hop() / spectrogram.sampleRate();
    }

    /** @return network steps for {@code samples} samples of audio */
    public int steps(int samples) {
        return (spectrogram.frames(samples) + stack - 1) / stack;
    }

    /**
     * @param audio mono samples at {@link #sampleRate()}
     * @return {@code [steps][dimension]}: step {@code t} holds frames {@code t*stack .. t*stack+stack-1}, each
     *         {@code melBands} values
     */
    public float[][] compute(float[] audio) {
        return stackFrames(normalise(spectrogram.compute(audio)));
    }

    /** The normalised log-mel frames before stacking, {@code [frames][melBands]} (for spectrogram pictures). */
    public float[][] normalisedLogMel(float[] audio) {
        return normalise(spectrogram.compute(audio));
    }

    static float[][] normalise(float[][] frames) {
        int bands = frames[0].length;
        for (int m = 0; m < bands; m++) {
            double sum = 0;
            double sumSq = 0;
            for (float[] frame : frames) {
                sum += frame[m];
                sumSq += frame[m] * (double) frame[m];
            }
            double mean = sum / frames.length;
            double variance = Math.max(0, sumSq / frames.length - mean * mean);
            // A floor keeps a constant band (digital silence) from being divided by zero.
            double scale = 1 / Math.sqrt(variance + 1e-3);
            for (float[] frame : frames) {
                frame[m] = (float) ((frame[m] - mean) * scale);
            }
        }
        return frames;
    }

    private float[][] stackFrames(float[][] frames) {
        int bands = frames[0].length;
        int steps = (frames.length + stack - 1) / stack;
        float[][] out = new float[steps][stack * bands];
        for (int f = 0; f < frames.length; f++) {
            System.arraycopy(frames[f], 0, out[f / stack], (f % stack) * bands, bands);
        }
        return out;
    }
}
