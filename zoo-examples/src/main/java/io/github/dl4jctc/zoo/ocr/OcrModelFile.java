package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.zoo.util.OneDnnHelpers;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saves and loads an OCR model: a {@code ModelSerializer} zip holding the network plus, under
 * {@value #INFO_KEY}, what is needed to use it (the vocabulary and the image height).
 */
public final class OcrModelFile {

    /** Key of the model's {@link Info} inside the zip. */
    public static final String INFO_KEY = "dl4jctc-ocr-info";

    /**
     * @param vocabulary the network's classes
     * @param height     image height the network reads
     */
    public record Info(CtcVocabulary vocabulary, int height) implements Serializable {
    }

    private OcrModelFile() {
    }

    /** Writes the network (without updater state: the file is for reading text, not for resuming training). */
    public static void save(OcrRecognizer recognizer, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ModelSerializer.writeModel(recognizer.network(), file.toFile(), false);
            ModelSerializer.addObjectToFile(file.toFile(), INFO_KEY,
                    new Info(recognizer.vocabulary(), recognizer.height()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model " + file, e);
        }
    }

    /**
     * @throws IllegalArgumentException if the file is missing or is not an OCR model written by {@link #save}
     */
    public static OcrRecognizer load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model file " + file + " does not exist; train one first with"
                    + " 'ocr train' or pass --model");
        }
        try {
            OneDnnHelpers.enable();
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            Info info = ModelSerializer.getObjectFromFile(file.toFile(), INFO_KEY);
            return new OcrRecognizer(network, info.vocabulary(), info.height());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("model file " + file + " is not an OCR model of this project: "
                    + e.getMessage(), e);
        }
    }
}
