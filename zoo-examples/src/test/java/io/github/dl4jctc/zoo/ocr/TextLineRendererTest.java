package io.github.dl4jctc.zoo.ocr;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextLineRendererTest {

    private static final FontPool FONTS = FontPool.installed();
    private final TextLineRenderer renderer = new TextLineRenderer(32, 4);

    private LineImage clean(String text) {
        LineStyle style = LineAugmentation.none().sample(FONTS.fonts().subList(0, 1), new SplittableRandom(1));
        return renderer.render(text, style, new SplittableRandom(1));
    }

    @Test
    void cleanLineHasTheHeightAWidthMultipleOfFourAndInkOnlyWhereTheTextIs() {
        LineImage image = clean("Hello World 42");
        assertEquals(32, image.height());
        assertEquals(0, image.width() % 4);
        assertEquals(0f, image.background());
        // Paper is exactly 0 and the glyph strokes reach full ink.
        float max = 0;
        int inked = 0;
        for (float v : image.ink()) {
            max = Math.max(max, v);
            inked += v > 0.5f ? 1 : 0;
        }
        assertTrue(max > 0.95f, "max ink " + max);
        assertTrue(inked > 100, "inked pixels " + inked);
        // The first and last columns are margin.
        for (int y = 0; y < 32; y++) {
            assertEquals(0f, image.at(y, 0));
            assertEquals(0f, image.at(y, image.width() - 1));
        }
    }

    @Test
    void longerTextGivesAWiderImage() {
        assertTrue(clean("ABCDEFGHIJ").width() > clean("ABCDE").width() + 30);
    }

    @Test
    void widthLeavesEnoughFramesForCtc() {
        assertEquals(4, TextLineRenderer.minimumFrames("aab"));   // a, blank, a, b
        assertEquals(3, TextLineRenderer.minimumFrames("abc"));
        // Sixteen narrow letters, eight of them repeats: 24 frames of 4 columns at least.
        LineImage narrow = clean("iiiiiiiiiiiiiiii".substring(0, 16));
        assertTrue(narrow.width() >= 4 * TextLineRenderer.minimumFrames("iiiiiiiiiiiiiiii"), "width "
                + narrow.width());
    }

    @Test
    void sameStyleAndSeedRenderTheSamePixelsAndAugmentationChangesThem() {
        OcrSampleGenerator generator = new OcrSampleGenerator(renderer, FONTS, RandomText.defaults(),
                LineAugmentation.defaults(), 5);
        OcrSample a = generator.sample(17);
        OcrSample b = generator.sample(17);
        assertEquals(a.text(), b.text());
        assertArrayEquals(a.image().ink(), b.image().ink());
        OcrSample other = new OcrSampleGenerator(renderer, FONTS, RandomText.defaults(),
                LineAugmentation.defaults(), 6).sample(17);
        assertFalse(a.text().equals(other.text())
                && java.util.Arrays.equals(a.image().ink(), other.image().ink()));
    }

    @Test
    void augmentedLinesStayInTheUnitRange() {
        OcrSampleGenerator generator = new OcrSampleGenerator(renderer, FONTS, RandomText.defaults(),
                LineAugmentation.defaults(), 11);
        for (OcrSample sample : generator.samples(0, 50)) {
            for (float v : sample.image().ink()) {
                assertTrue(v >= 0f && v <= 1f, "ink " + v + " in '" + sample.text() + "'");
            }
        }
    }

    @Test
    void rejectsEmptyTextAndBadSizes() {
        LineStyle style = LineAugmentation.none().sample(FONTS.fonts(), new SplittableRandom(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> renderer.render("", style, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("text"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TextLineRenderer(4, 4));
        assertThrows(IllegalArgumentException.class, () -> new TextLineRenderer(32, 0));
    }

    @Test
    void fontPoolDisplaysEveryCharacter() {
        assertFalse(FONTS.fonts().isEmpty());
        FONTS.fonts().forEach(font -> assertEquals(-1, font.canDisplayUpTo(OcrCharacters.GLYPHS), font.getName()));
    }

    @Test
    void glyphCentresAreWhereTheInkIsAfterSlantRotationAndBlur() {
        // Point-symmetric glyphs stay point-symmetric under slant, rotation and blur, so each glyph's ink centroid
        // is the centre of its ink box, moved as the drawing is: the renderer's glyph centre.
        String text = "o x H 8 o";
        LineStyle style = new LineStyle(FONTS.fonts().get(0), 0.72, 0.2, 0, 1.5, 0.25, 0.5, 6, 6, 1.0, 0, 1, 0);
        TextLineRenderer.RenderedLine line = renderer.renderLine(text, style, new SplittableRandom(1));
        double[] centres = line.glyphCentres();
        LineImage image = line.image();
        assertEquals(text.length(), centres.length);
        double previous = -1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                assertTrue(Double.isNaN(centres[i]), "space " + i);
                continue;
            }
            assertTrue(centres[i] > previous + 5, "centres increase: " + java.util.Arrays.toString(centres));
            previous = centres[i];
            // The ink of glyph i: the columns between the midpoints to its neighbouring glyphs.
            double from = i == 0 ? 0 : (centres[i - 2] + centres[i]) / 2;
            double to = i == text.length() - 1 ? image.width() : (centres[i] + centres[i + 2]) / 2;
            double sum = 0;
            double weighted = 0;
            for (int x = (int) Math.ceil(from); x < to; x++) {
                for (int y = 0; y < image.height(); y++) {
                    sum += image.at(y, x);
                    weighted += image.at(y, x) * (x + 0.5);
                }
            }
            assertEquals(weighted / sum, centres[i], 0.35, "glyph '" + text.charAt(i) + "'");
        }
        // The same line as render gives.
        assertArrayEquals(renderer.render(text, style, new SplittableRandom(1)).ink(), image.ink());
    }
}
