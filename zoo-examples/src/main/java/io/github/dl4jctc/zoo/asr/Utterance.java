package io.github.dl4jctc.zoo.asr;

/**
 * A spoken text.
 *
 * @param text       the transcript (lower-case words separated by single spaces)
 * @param samples    mono audio in [-1, 1]
 * @param sampleRate samples per second
 */
public record Utterance(String text, float[] samples, int sampleRate) {

    /** @return length in seconds */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
