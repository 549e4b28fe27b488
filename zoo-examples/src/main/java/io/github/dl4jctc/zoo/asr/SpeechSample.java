package io.github.dl4jctc.zoo.asr;

/**
 * An utterance as the network sees it.
 *
 * @param text     the transcript
 * @param features {@code [steps][dimension]} from {@link SpeechFeatures#compute}
 */
public record SpeechSample(String text, float[][] features) {

    /** @return network steps */
    public int steps() {
        return features.length;
    }
}
