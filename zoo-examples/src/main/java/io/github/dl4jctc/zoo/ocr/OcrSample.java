package io.github.dl4jctc.zoo.ocr;

/**
 * A rendered text line and its transcript.
 *
 * @param text         what the image shows
 * @param image        the rendered line
 * @param glyphCentres per character of {@code text}, the pixel column of its glyph's centre
 *                     ({@link TextLineRenderer.RenderedLine}; NaN for spaces), or null when unknown (an image read
 *                     from a file)
 */
public record OcrSample(String text, LineImage image, double[] glyphCentres) {

    public OcrSample {
        if (glyphCentres != null && glyphCentres.length != text.length()) {
            throw new IllegalArgumentException("glyphCentres: got " + glyphCentres.length + " centres, expected one"
                    + " per character of the text (" + text.length() + ")");
        }
    }

    /** A line whose glyph positions are unknown. */
    public OcrSample(String text, LineImage image) {
        this(text, image, null);
    }
}
