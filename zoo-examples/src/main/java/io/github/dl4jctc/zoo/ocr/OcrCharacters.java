package io.github.dl4jctc.zoo.ocr;

/** The characters of the OCR example: digits, upper- and lower-case Latin letters, and the space. */
public final class OcrCharacters {

    /** The visible characters, the ones random text is drawn from. */
    public static final String GLYPHS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** All characters in class order (class 0 is the CTC blank, the space is class 1). */
    public static final String ALL = " " + GLYPHS;

    private OcrCharacters() {
    }
}
