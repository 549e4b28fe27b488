package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.zoo.util.ModelZip;
import io.github.dl4jctc.zoo.util.OneDnnHelpers;

import java.io.Serializable;
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
        ModelZip.write(recognizer.network(), INFO_KEY, new Info(recognizer.vocabulary(), recognizer.height()), file);
    }

    /**
     * @throws IllegalArgumentException if the file is missing or is not an OCR model written by {@link #save}
     */
    public static OcrRecognizer load(Path file) {
        OneDnnHelpers.enable();   // layers pick their helpers when the network is restored
        ModelZip.Contents<Info> m = ModelZip.read(file, INFO_KEY, Info.class, "an OCR model", "ocr train");
        return new OcrRecognizer(m.network(), m.info().vocabulary(), m.info().height());
    }
}
