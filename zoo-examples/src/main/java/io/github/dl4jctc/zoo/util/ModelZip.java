package io.github.dl4jctc.zoo.util;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model file of the examples: a {@code ModelSerializer} zip holding the network (without updater state: the
 * file is for transcribing, not for resuming training) plus, under a key of its own, what a recogniser needs
 * besides the network (vocabulary, input geometry).
 */
public final class ModelZip {

    /** What {@link #read} found. */
    public record Contents<I>(MultiLayerNetwork network, I info) {
    }

    private ModelZip() {
    }

    /** Writes the network and {@code info} under {@code key}, creating the file's folder if needed. */
    public static void write(MultiLayerNetwork network, String key, Serializable info, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ModelSerializer.writeModel(network, file.toFile(), false);
            ModelSerializer.addObjectToFile(file.toFile(), key, info);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model " + file, e);
        }
    }

    /**
     * @param kind         what the file should hold, for messages ("an OCR model")
     * @param trainCommand the command that writes such files, for messages ("ocr train")
     * @throws IllegalArgumentException if the file is missing or does not hold a network and an info of that type
     */
    public static <I> Contents<I> read(Path file, String key, Class<I> infoType, String kind, String trainCommand) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--model: got " + file + ", expected an existing model file (train one"
                    + " first with '" + trainCommand + "' or pass --model)");
        }
        try {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            Object info = ModelSerializer.getObjectFromFile(file.toFile(), key);
            if (!infoType.isInstance(info)) {
                throw new IllegalArgumentException(key + ": got " + (info == null ? "nothing" : info.getClass().getSimpleName())
                        + ", expected a " + infoType.getSimpleName());
            }
            return new Contents<>(network, infoType.cast(info));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--model: got " + file + ", expected " + kind + " of this project ("
                    + e.getMessage() + ")", e);
        }
    }
}
