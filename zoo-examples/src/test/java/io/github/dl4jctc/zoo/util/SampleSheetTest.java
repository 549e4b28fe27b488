package io.github.dl4jctc.zoo.util;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleSheetTest {

    private static int countPixels(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                count += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void rightPredictionsAreGreenWrongOnesRedAndEveryRowGetsItsSpace() {
        BufferedImage line = new BufferedImage(100, 20, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage right = SampleSheet.render("t", List.of(new SampleSheet.Row(line, "abc", "abc")), 2);
        BufferedImage wrong = SampleSheet.render("t", List.of(new SampleSheet.Row(line, "abc", "abd")), 2);
        int green = 0x008200;
        int red = 0xc80000;
        assertTrue(countPixels(right, green) > 20 && countPixels(right, red) == 0);
        assertTrue(countPixels(wrong, red) > 20 && countPixels(wrong, green) == 0);
        BufferedImage two = SampleSheet.render("t", List.of(new SampleSheet.Row(line, "a", "a"),
                new SampleSheet.Row(line, "b", "b")), 2);
        assertTrue(two.getHeight() > right.getHeight() + 40, two.getHeight() + " vs " + right.getHeight());
    }

    @Test
    void aLongTitleWidensTheSheet() {
        BufferedImage line = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
        String title = "x".repeat(200);
        BufferedImage sheet = SampleSheet.render(title, List.of(new SampleSheet.Row(line, "a", "a")), 1);
        assertTrue(sheet.getWidth() > 1000, "width " + sheet.getWidth());
        assertEquals(600, SampleSheet.render("t", List.of(new SampleSheet.Row(line, "a", "a")), 1).getWidth());
    }

    @Test
    void rejectsAnEmptySheet() {
        assertThrows(IllegalArgumentException.class, () -> SampleSheet.render("t", List.of(), 1));
    }
}
