package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ModelSerializer.writeModel(recognizer.network(), file.toFile(), false);
            ModelSerializer.addObjectToFile(file.toFile(), INFO_KEY,
                    new Info(recognizer.vocabulary(), recognizer.features().stack()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model " + file, e);
        }
    }

    /**
     * @throws IllegalArgumentException if the file is missing or is not a speech model written by {@link #save}
     */
    public static SpeechRecognizer load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model file " + file + " does not exist; train one first with"
                    + " 'asr train' or pass --model");
        }
        try {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            Info info = ModelSerializer.getObjectFromFile(file.toFile(), INFO_KEY);
            return new SpeechRecognizer(network, info.vocabulary(),
                    new SpeechFeatures(LogMelSpectrogram.speech16k(), info.stack()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("model file " + file + " is not a speech model of this project: "
                    + e.getMessage(), e);
        }
    }
}
