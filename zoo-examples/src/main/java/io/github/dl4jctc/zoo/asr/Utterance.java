package io.github.dl4jctc.zoo.asr;

import java.util.List;

/**
 * A spoken text.
 *
 * @param text       the transcript (lower-case words separated by single spaces)
 * @param samples    mono audio in [-1, 1]
 * @param sampleRate samples per second
 * @param words      where each word of {@code text} is in {@code samples} (seconds), in order
 */
public record Utterance(String text, float[] samples, int sampleRate, List<TimedWord> words) {

    /** @return length in seconds */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
