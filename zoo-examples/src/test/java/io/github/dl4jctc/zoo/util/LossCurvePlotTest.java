package io.github.dl4jctc.zoo.util;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossCurvePlotTest {

    @Test
    void movingAverageAveragesTheLastWindowAndSkipsNonFiniteValues() {
        double[] values = {4, 2, Double.NaN, 6, 8};
        double[] average = LossCurvePlot.movingAverage(values, 2);
        assertArrayEquals(new double[]{4, 3, 2, 6, 7}, average, 1e-12);
    }

    @Test
    void drawsTheCurveInsideThePlot() {
        double[] losses = new double[300];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = 50 * Math.exp(-i / 40.0) + 0.05;
        }
        BufferedImage image = LossCurvePlot.render(losses, "test");
        assertEquals(900, image.getWidth());
        assertEquals(500, image.getHeight());
        // The dark blue moving average is drawn somewhere in the plot area.
        int blue = 0;
        for (int y = 50; y < 440; y++) {
            for (int x = 80; x < 870; x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (((rgb >> 16) & 0xff) < 60 && (rgb & 0xff) > 120) {
                    blue++;
                }
            }
        }
        assertTrue(blue > 500, "expected a drawn curve, found " + blue + " dark blue pixels");
    }

    @Test
    void rejectsLossesWithNothingToDraw() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LossCurvePlot.render(new double[]{Double.NaN, Double.POSITIVE_INFINITY}, "t"));
        assertTrue(e.getMessage().contains("losses"), e.getMessage());
    }
}
