package io.github.dl4jctc.zoo.util;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes PNG files (creating the parent folders). */
public final class Png {

    private Png() {
    }

    /** Writes {@code image} to {@code file} as PNG. */
    public static void write(BufferedImage image, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IOException("no PNG writer available for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write PNG " + file, e);
        }
    }
}
