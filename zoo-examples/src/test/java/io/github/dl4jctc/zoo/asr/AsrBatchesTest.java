package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AsrBatchesTest {

    private static SpeechSample sample(String text, int steps, float base) {
        float[][] features = new float[steps][4];
        for (int t = 0; t < steps; t++) {
            for (int f = 0; f < 4; f++) {
                features[t][f] = base + 10 * t + f;
            }
        }
        return new SpeechSample(text, features);
    }

    @Test
    void featuresAreNcwZeroPaddedWithAPrefixMaskAndLabelsRoundTrip() {
        CtcVocabulary vocabulary = CtcVocabulary.ofCharacters(SpokenText.CHARACTERS);
        List<SpeechSample> samples = List.of(sample("one two", 3, 0), sample("go", 5, 1000));
        DataSet data = AsrBatches.toDataSet(samples, vocabulary);
        INDArray features = data.getFeatures();
        assertArrayEquals(new long[]{2, 4, 5}, features.shape());
        assertEquals(2 * 10 + 3, features.getFloat(0, 3, 2));     // sample 0, feature 3, step 2
        assertEquals(0f, features.getFloat(0, 3, 4));              // padding
        assertEquals(1000 + 4 * 10 + 1, features.getFloat(1, 1, 4));
        assertArrayEquals(new float[]{1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, data.getFeaturesMaskArray().data().asFloat(),
                0f);
        assertEquals(List.of("one two", "go"), vocabulary.fromLabels(data.getLabels(), data.getLabelsMaskArray()));
        assertArrayEquals(new long[]{2, 7}, data.getLabels().shape());
    }
}
