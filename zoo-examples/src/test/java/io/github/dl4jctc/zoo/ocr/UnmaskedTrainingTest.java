package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnmaskedTrainingTest {

    private static final CtcVocabulary VOCABULARY = CtcVocabulary.ofCharacters(OcrCharacters.ALL);

    @Test
    void dropsTheFeaturesMaskKeepsTheTargetsAndPadsWithPaper() {
        OcrSampleGenerator generator = new OcrSampleGenerator(new TextLineRenderer(32, 4), FontPool.installed(),
                RandomText.defaults(), LineAugmentation.defaults(), 3);
        List<OcrSample> samples = generator.samples(0, 6);
        DataSet data = OcrBatches.toDataSet(samples, VOCABULARY);
        assertNotNull(data.getFeaturesMaskArray(), "batches come with a features mask");
        List<String> texts = VOCABULARY.fromLabels(data.getLabels(), data.getLabelsMaskArray());

        new UnmaskedTraining().preProcess(data);

        assertNull(data.getFeaturesMaskArray());
        assertEquals(texts, VOCABULARY.fromLabels(data.getLabels(), data.getLabelsMaskArray()));
        long width = data.getFeatures().size(3);
        boolean someoneIsPadded = false;
        for (int n = 0; n < samples.size(); n++) {
            LineImage image = samples.get(n).image();
            someoneIsPadded |= image.width() < width;
            for (int y = 0; y < image.height(); y++) {
                for (long x = image.width(); x < width; x++) {
                    // what the network now reads as frames after the text: the line's own paper
                    assertEquals(image.background(), data.getFeatures().getFloat(n, 0, y, x), 0f);
                }
            }
        }
        assertTrue(someoneIsPadded, "the lines have different widths, so some are padded");
    }
}
