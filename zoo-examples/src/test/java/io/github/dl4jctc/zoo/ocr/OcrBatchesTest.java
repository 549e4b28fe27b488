package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OcrBatchesTest {

    private static final CtcVocabulary VOCABULARY = CtcVocabulary.ofCharacters(OcrCharacters.ALL);
    private static final OcrSampleGenerator GENERATOR = new OcrSampleGenerator(new TextLineRenderer(32, 4),
            FontPool.installed(), RandomText.defaults(), LineAugmentation.defaults(), 21);

    @Test
    void featuresAreImagesPaddedWithTheirPaperAndTheMaskMarksTheirColumns() {
        List<OcrSample> samples = GENERATOR.samples(0, 6);
        DataSet data = OcrBatches.toDataSet(samples, VOCABULARY);
        int maxWidth = samples.stream().mapToInt(s -> s.image().width()).max().orElseThrow();
        INDArray features = data.getFeatures();
        INDArray mask = data.getFeaturesMaskArray();
        assertArrayEquals(new long[]{6, 1, 32, maxWidth}, features.shape());
        assertArrayEquals(new long[]{6, 1, 1, maxWidth}, mask.shape());
        for (int n = 0; n < samples.size(); n++) {
            LineImage image = samples.get(n).image();
            assertEquals(image.width(), mask.slice(n).sumNumber().intValue(), "mask columns of sample " + n);
            for (int y = 0; y < 32; y += 7) {
                for (int x = 0; x < maxWidth; x += 5) {
                    float expected = x < image.width() ? image.at(y, x) : image.background();
                    assertEquals(expected, features.getFloat(n, 0, y, x), "sample " + n + " at " + y + "," + x);
                }
            }
        }
    }

    @Test
    void labelsRoundTripThroughTheVocabulary() {
        List<OcrSample> samples = GENERATOR.samples(10, 8);
        DataSet data = OcrBatches.toDataSet(samples, VOCABULARY);
        List<String> texts = new ArrayList<>();
        samples.forEach(s -> texts.add(s.text()));
        int longest = texts.stream().mapToInt(String::length).max().orElseThrow();
        assertArrayEquals(new long[]{8, longest}, data.getLabels().shape());
        assertArrayEquals(new long[]{8, longest}, data.getLabelsMaskArray().shape());
        assertEquals(texts, VOCABULARY.fromLabels(data.getLabels(), data.getLabelsMaskArray()));
        // 'A' is class 12: blank 0, space 1, digits 2..11.
        assertEquals(12, VOCABULARY.encode("A")[0]);
    }

    @Test
    void groupingByWidthSortsAndKeepsEverySample() {
        List<OcrSample> samples = GENERATOR.samples(0, 50);
        List<List<OcrSample>> batches = OcrBatches.byWidth(samples, 16);
        assertEquals(List.of(16, 16, 16, 2), batches.stream().map(List::size).toList());
        int previous = 0;
        int count = 0;
        for (List<OcrSample> batch : batches) {
            for (OcrSample sample : batch) {
                assertTrue(sample.image().width() >= previous);
                previous = sample.image().width();
                count++;
            }
        }
        assertEquals(50, count);
    }

    @Test
    void framesAreTheWidthOverTheDownsamplingPlusTheStraddlingFrameOfNarrowerLines() {
        List<OcrSample> samples = GENERATOR.samples(0, 5);
        int[] frames = OcrBatches.frames(samples);
        int widest = samples.stream().mapToInt(s -> s.image().width()).max().orElseThrow();
        for (int n = 0; n < 5; n++) {
            int width = samples.get(n).image().width();
            assertEquals(width / 4 + (width == widest ? 0 : 1), frames[n]);
            assertTrue(frames[n] >= TextLineRenderer.minimumFrames(samples.get(n).text()));
        }
    }
}
