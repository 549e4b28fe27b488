package io.github.dl4jctc.zoo.ocr;

/**
 * A rendered text line and its transcript.
 *
 * @param text  what the image shows
 * @param image the rendered line
 */
public record OcrSample(String text, LineImage image) {
}
