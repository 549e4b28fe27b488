package io.github.dl4jctc.zoo.ocr;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/**
 * A grey text-line image as the network sees it: ink intensity in {@code [0, 1]} (0 = white paper, 1 = black ink),
 * row-major {@code [height, width]}.
 *
 * @param height     rows
 * @param width      columns
 * @param ink        {@code height * width} values, row-major
 * @param background the ink intensity of this image's paper: what the image is padded with in a wider batch
 */
public record LineImage(int height, int width, float[] ink, float background) {

    public LineImage {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height, width: got " + height + ", " + width
                    + ", expected at least 1 each");
        }
        if (ink.length != height * width) {
            throw new IllegalArgumentException("ink: got " + ink.length + " values, expected height * width = "
                    + height * width);
        }
    }

    /** @return ink intensity at row {@code y}, column {@code x} */
    public float at(int y, int x) {
        return ink[y * width + x];
    }

    /** @return the image as 8-bit grey (white paper, dark ink), for PNG files and sample sheets */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = Math.round((1f - at(y, x)) * 255f);
            }
            raster.setPixels(0, y, width, 1, row);
        }
        return image;
    }

    /**
     * Reads a picture of a text line: converted to grey, then to ink intensity. Nothing is resized here.
     * The paper level is taken as the median ink intensity (paper covers most of a text line).
     */
    public static LineImage fromBufferedImage(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] ink = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                float alpha = ((rgb >>> 24) & 0xff) / 255f;
                // Transparent pixels count as white paper.
                float grey = alpha * (0.299f * r + 0.587f * g + 0.114f * b) / 255f + (1 - alpha);
                ink[y * w + x] = 1f - grey;
            }
        }
        float[] sorted = ink.clone();
        java.util.Arrays.sort(sorted);
        return new LineImage(h, w, ink, sorted[sorted.length / 2]);
    }
}
