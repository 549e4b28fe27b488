package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.FixedSchedule;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OcrRecognizerTest {

    @Test
    void preparedPicturesHaveTheModelHeightAndAWidthMultipleOfFour() {
        CtcVocabulary vocabulary = CtcVocabulary.ofCharacters(OcrCharacters.ALL);
        OcrRecognizer recognizer = new OcrRecognizer(
                CrnnModel.create(32, vocabulary.size(), CrnnModel.Size.small(), new FixedSchedule(1e-3), 1),
                vocabulary, 32);
        BufferedImage picture = new BufferedImage(301, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 301, 64);
        g.setColor(Color.BLACK);
        g.fillRect(20, 10, 40, 44);
        g.dispose();
        LineImage line = recognizer.prepare(picture);
        assertEquals(32, line.height());
        assertEquals(152, line.width());            // 301 * 32 / 64 = 150.5 -> 151 -> padded to 152
        assertEquals(0f, line.background(), 1e-6f);  // white paper
        assertTrue(line.at(16, 20) > 0.9f, "the black box is ink");
        assertEquals(0f, line.at(16, 151), 1e-6f);   // padding is paper
    }
}
