package io.github.dl4jctc.zoo.ocr;

import java.util.random.RandomGenerator;

/**
 * Random text lines: a length drawn uniformly from {@code [minLength, maxLength]}, characters drawn uniformly from
 * {@link OcrCharacters#GLYPHS}, and each inner position a space with probability {@code spaceProbability}.
 *
 * <p>Never a leading or trailing space, never two spaces in a row: those would be invisible (or indistinguishable
 * from one wide space) in the rendered image, so no reader could transcribe them.
 */
public final class RandomText {

    private final int minLength;
    private final int maxLength;
    private final double spaceProbability;

    /**
     * @param minLength        shortest text, at least 1
     * @param maxLength        longest text, at least {@code minLength}
     * @param spaceProbability chance that an inner position (not first, not last, not after a space) is a space
     */
    public RandomText(int minLength, int maxLength, double spaceProbability) {
        if (minLength < 1) {
            throw new IllegalArgumentException("minLength must be at least 1, got " + minLength);
        }
        if (maxLength < minLength) {
            throw new IllegalArgumentException("maxLength must be >= minLength (" + minLength + "), got " + maxLength);
        }
        if (!(spaceProbability >= 0 && spaceProbability < 1)) {
            throw new IllegalArgumentException("spaceProbability must be in [0, 1), got " + spaceProbability);
        }
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.spaceProbability = spaceProbability;
    }

    /** Lengths 1-16 with about one space in ten positions: the texts of the OCR example. */
    public static RandomText defaults() {
        return new RandomText(1, 16, 0.1);
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
                text.append(OcrCharacters.GLYPHS.charAt(random.nextInt(OcrCharacters.GLYPHS.length())));
            }
        }
        return text.toString();
    }
}
