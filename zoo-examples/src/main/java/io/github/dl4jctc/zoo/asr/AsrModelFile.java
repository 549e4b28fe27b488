package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.zoo.util.ModelZip;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * Saves and loads a speech model: a {@code ModelSerializer} zip holding the network plus, under
 * {@value #INFO_KEY}, the vocabulary and the frame stacking of its features.
 */
public final class AsrModelFile {

    /** Key of the model's {@link Info} inside the zip. */
    public static final String INFO_KEY = "dl4jctc-asr-info";

    /**
     * @param vocabulary the network's classes
     * @param stack      log-mel frames per network step (see {@link SpeechFeatures})
     */
    public record Info(CtcVocabulary vocabulary, int stack) implements Serializable {
    }

    private AsrModelFile() {
    }

    /** Writes the network (without updater state) and its {@link Info}. */
    public static void save(SpeechRecognizer recognizer, Path file) {
        ModelZip.write(recognizer.network(), INFO_KEY,
                new Info(recognizer.vocabulary(), recognizer.features().stack()), file);
    }

    /**
     * @throws IllegalArgumentException if the file is missing or is not a speech model written by {@link #save}
     */
    public static SpeechRecognizer load(Path file) {
        ModelZip.Contents<Info> m = ModelZip.read(file, INFO_KEY, Info.class, "a speech model", "asr train");
        return new SpeechRecognizer(m.network(), m.info().vocabulary(),
                new SpeechFeatures(LogMelSpectrogram.speech16k(), m.info().stack()));
    }
}
