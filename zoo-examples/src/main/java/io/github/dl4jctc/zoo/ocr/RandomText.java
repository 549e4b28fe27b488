package io.github.dl4jctc.zoo.ocr;

import java.util.random.RandomGenerator;

/**
 * Random text lines: a length drawn uniformly from {@code [minLength, maxLength]}, characters drawn uniformly from
 * a set of glyphs ({@link OcrCharacters#GLYPHS} by default), and each inner position a space with probability
 * {@code spaceProbability}.
 *
 * <p>Never a leading or trailing space, never two spaces in a row: those would be invisible (or indistinguishable
 * from one wide space) in the rendered image, so no reader could transcribe them.
 */
public final class RandomText {

    private final String glyphs;
    private final int minLength;
    private final int maxLength;
    private final double spaceProbability;

    /**
     * @param glyphs           the characters to draw from (no space), at least one
     * @param minLength        shortest text, at least 1
     * @param maxLength        longest text, at least {@code minLength}
     * @param spaceProbability chance that an inner position (not first, not last, not after a space) is a space
     */
    public RandomText(String glyphs, int minLength, int maxLength, double spaceProbability) {
        if (glyphs == null || glyphs.isEmpty() || glyphs.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("glyphs: got " + (glyphs == null ? "null" : "\"" + glyphs + "\"")
                    + ", expected at least one character and no space");
        }
        if (minLength < 1) {
            throw new IllegalArgumentException("minLength: got " + minLength + ", expected at least 1");
        }
        if (maxLength < minLength) {
            throw new IllegalArgumentException("maxLength: got " + maxLength + ", expected >= minLength = "
                    + minLength);
        }
        if (!(spaceProbability >= 0 && spaceProbability < 1)) {
            throw new IllegalArgumentException("spaceProbability: got " + spaceProbability + ", expected in [0, 1)");
        }
        this.glyphs = glyphs;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.spaceProbability = spaceProbability;
    }

    /** Lengths 1-16 with about one space in ten positions: the texts of the OCR example. */
    public static RandomText defaults() {
        return new RandomText(OcrCharacters.GLYPHS, 1, 16, 0.1);
    }

    /** Digit strings of 1-8 characters: an easy task that a small network learns within a minute (quick mode). */
    public static RandomText digits() {
        return new RandomText("0123456789", 1, 8, 0.1);
    }

    public String glyphs() {
        return glyphs;
    }

    public int minLength() {
        return minLength;
    }

    public int maxLength() {
        return maxLength;
    }

    /** @return a new random text, its length in {@code [minLength, maxLength]} */
    public String next(RandomGenerator random) {
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            boolean inner = i > 0 && i < length - 1 && text.charAt(i - 1) != ' ';
            if (inner && random.nextDouble() < spaceProbability) {
                text.append(' ');
            } else {
                text.append(glyphs.charAt(random.nextInt(glyphs.length())));
            }
        }
        return text.toString();
    }
}
