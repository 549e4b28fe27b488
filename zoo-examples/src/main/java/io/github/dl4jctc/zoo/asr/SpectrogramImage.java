package io.github.dl4jctc.zoo.asr;

import java.awt.image.BufferedImage;

/**
 * Pictures of normalised log-mel spectrograms for sample sheets: time to the right, low frequencies at the bottom,
 * values from -2.5 to +2.5 standard deviations mapped through a dark-blue-to-yellow colour scale.
 */
public final class SpectrogramImage {

    private static final double LOW = -2.5;
    private static final double HIGH = 2.5;
    /** Control points of the colour scale (close to matplotlib's viridis), from LOW to HIGH. */
    private static final int[][] SCALE = {
            {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

    private SpectrogramImage() {
    }

    /**
     * @param frames {@code [frames][bands]} normalised log-mel values
     * @param pixelsPerBand height of each band in pixels, at least 1
     * @return an image {@code frames} wide and {@code bands * pixelsPerBand} high
     */
    public static BufferedImage render(float[][] frames, int pixelsPerBand) {
        if (frames.length == 0) {
            throw new IllegalArgumentException("frames: got none, expected at least one frame");
        }
        if (pixelsPerBand < 1) {
            throw new IllegalArgumentException("pixelsPerBand: got " + pixelsPerBand + ", expected at least 1");
        }
        int bands = frames[0].length;
        BufferedImage image = new BufferedImage(frames.length, bands * pixelsPerBand, BufferedImage.TYPE_INT_RGB);
        for (int t = 0; t < frames.length; t++) {
            for (int m = 0; m < bands; m++) {
                int rgb = colour(frames[t][m]);
                for (int p = 0; p < pixelsPerBand; p++) {
                    image.setRGB(t, (bands - 1 - m) * pixelsPerBand + p, rgb);
                }
            }
        }
        return image;
    }

    static int colour(double value) {
        double x = (Math.min(HIGH, Math.max(LOW, value)) - LOW) / (HIGH - LOW) * (SCALE.length - 1);
        int i = Math.min(SCALE.length - 2, (int) Math.floor(x));
        double f = x - i;
        int r = (int) Math.round(SCALE[i][0] + f * (SCALE[i + 1][0] - SCALE[i][0]));
        int g = (int) Math.round(SCALE[i][1] + f * (SCALE[i + 1][1] - SCALE[i][1]));
        int b = (int) Math.round(SCALE[i][2] + f * (SCALE[i + 1][2] - SCALE[i][2]));
        return (r << 16) | (g << 8) | b;
    }
}
