package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.schedule.FixedSchedule;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeechModelTest {

    private static final CtcVocabulary VOCABULARY = CtcVocabulary.ofCharacters(SpokenText.CHARACTERS);

    private static SpeechSample randomSample(int steps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] features = new float[steps][120];
        for (float[] step : features) {
            for (int f = 0; f < step.length; f++) {
                step[f] = (float) random.nextGaussian();
            }
        }
        return new SpeechSample("go", features);
    }

    @Test
    void outputHasOneFramePerStepAndNothingPastEachUtterance() {
        SpeechRecognizer recognizer = new SpeechRecognizer(SpeechModel.create(120, VOCABULARY.size(),
                SpeechModel.Size.small(), new FixedSchedule(1e-3), 1), VOCABULARY, SpeechFeatures.defaults());
        List<SpeechSample> samples = List.of(randomSample(7, 1), randomSample(12, 2));
        INDArray probabilities = recognizer.network().output(AsrBatches.features(samples), false,
                AsrBatches.featuresMask(samples), null);
        assertArrayEquals(new long[]{2, VOCABULARY.size(), 12}, probabilities.shape());
        for (int t = 0; t < 12; t++) {
            double first = probabilities.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(t))
                    .sumNumber().doubleValue();
            assertEquals(t < 7 ? 1.0 : 0.0, first, 1e-4, "frame " + t);
        }
    }

    @Test
    void modelFileRestoresTheSameRecognizer(@TempDir Path dir) {
        SpeechRecognizer recognizer = new SpeechRecognizer(SpeechModel.create(120, VOCABULARY.size(),
                SpeechModel.Size.small(), new FixedSchedule(1e-3), 1), VOCABULARY, SpeechFeatures.defaults());
        Path file = dir.resolve("asr.zip");
        AsrModelFile.save(recognizer, file);
        SpeechRecognizer restored = AsrModelFile.load(file);
        assertEquals(VOCABULARY, restored.vocabulary());
        assertEquals(3, restored.features().stack());
        List<SpeechSample> samples = List.of(randomSample(9, 3), randomSample(5, 4));
        assertEquals(recognizer.transcribe(samples, new CtcGreedyDecoder(), 2, done -> { }),
                restored.transcribe(samples, new CtcGreedyDecoder(), 2, done -> { }));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AsrModelFile.load(dir.resolve("none.zip")));
        assertTrue(e.getMessage().contains("none.zip"), e.getMessage());
    }

    @Test
    void configurationRoundTripsThroughJson() {
        MultiLayerConfiguration configuration = SpeechModel.configuration(120, VOCABULARY.size(),
                SpeechModel.Size.standard(), new FixedSchedule(1e-3), 1);
        assertEquals(configuration, MultiLayerConfiguration.fromJson(configuration.toJson()));
    }
}
