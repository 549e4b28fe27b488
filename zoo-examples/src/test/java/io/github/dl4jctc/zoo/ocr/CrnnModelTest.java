package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import io.github.dl4jctc.zoo.util.OneDnnHelpers;
import io.github.dl4jctc.zoo.util.ProgressSchedule;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.FixedSchedule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrnnModelTest {

    private static final CtcVocabulary VOCABULARY = CtcVocabulary.ofCharacters(OcrCharacters.ALL);
    private static final OcrSampleGenerator GENERATOR = new OcrSampleGenerator(new TextLineRenderer(32, 4),
            FontPool.installed(), RandomText.defaults(), LineAugmentation.defaults(), 8);

    private static MultiLayerNetwork network() {
        return CrnnModel.create(32, VOCABULARY.size(), CrnnModel.Size.small(), new FixedSchedule(1e-3), 1);
    }

    @Test
    void outputHasOneFramePerFourColumnsAndNothingPastEachLine() {
        outputHasOneFramePerFourColumnsAndNothingPastEachLine(network());
    }

    @Test
    void everyRecurrentPathGivesTheSameFramesAndRefusesNull() {
        for (CrnnModel.Recurrent recurrent : CrnnModel.Recurrent.values()) {
            outputHasOneFramePerFourColumnsAndNothingPastEachLine(CrnnModel.create(32, VOCABULARY.size(),
                    CrnnModel.Size.small(), new FixedSchedule(1e-3), 1, recurrent));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrnnModel.configuration(32,
                VOCABULARY.size(), CrnnModel.Size.small(), new FixedSchedule(1e-3), 1, null));
        assertTrue(e.getMessage().startsWith("recurrent: got null"), e.getMessage());
    }

    private static void outputHasOneFramePerFourColumnsAndNothingPastEachLine(MultiLayerNetwork network) {
        // Frames: width / 4, plus the straddling frame for lines narrower than the widest (see CrnnModel).
        List<OcrSample> samples = GENERATOR.samples(0, 5);
        DataSet data = OcrBatches.toDataSet(samples, VOCABULARY);
        INDArray probabilities = network.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null);
        long width = data.getFeatures().size(3);
        assertArrayEquals(new long[]{5, VOCABULARY.size(), width / 4}, probabilities.shape());
        int[] frames = OcrBatches.frames(samples);
        for (int n = 0; n < 5; n++) {
            for (int t = 0; t < width / 4; t++) {
                double sum = probabilities.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n),
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(t)).sumNumber().doubleValue();
                assertEquals(t < frames[n] ? 1.0 : 0.0, sum, 1e-4, "sample " + n + " frame " + t);
            }
        }
    }

    @Test
    void oneDnnHelpersRunTheConvolutionsAndMatchDl4jsOwnLayers() {
        // One batch through the same network twice: layers built with DL4J's helpers disabled (its M2.1 default)
        // and with them enabled (what CrnnModel.create does); outputs and gradients must agree.
        DataSet data = OcrBatches.toDataSet(GENERATOR.samples(20, 6), VOCABULARY);
        MultiLayerConfiguration configuration = CrnnModel.configuration(32, VOCABULARY.size(),
                CrnnModel.Size.small(), new FixedSchedule(1e-3), 3);
        String before = System.getProperty(OneDnnHelpers.DISABLE_PROPERTY);
        MultiLayerNetwork plain;
        try {
            System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, "true");
            plain = new MultiLayerNetwork(configuration.clone());
            plain.init();
        } finally {
            if (before == null) {
                System.clearProperty(OneDnnHelpers.DISABLE_PROPERTY);
            } else {
                System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, before);
            }
        }
        MultiLayerNetwork helped = CrnnModel.create(32, VOCABULARY.size(), CrnnModel.Size.small(),
                new FixedSchedule(1e-3), 3);
        assertEquals(0, OneDnnHelpers.layersWithHelpers(plain));
        // 3 convolutions, 3 batch normalisations, 1 max pooling.
        assertEquals(7, OneDnnHelpers.layersWithHelpers(helped));
        assertEquals(plain.params(), helped.params());

        INDArray plainOut = plain.output(data.getFeatures(), true, data.getFeaturesMaskArray(), null);
        INDArray helpedOut = helped.output(data.getFeatures(), true, data.getFeaturesMaskArray(), null);
        assertTrue(plainOut.equalsWithEps(helpedOut, 1e-4), "outputs differ by up to "
                + plainOut.sub(helpedOut).amaxNumber());
        for (MultiLayerNetwork network : List.of(plain, helped)) {
            network.setInput(data.getFeatures());
            network.setLabels(data.getLabels());
            network.setLayerMaskArrays(data.getFeaturesMaskArray(), data.getLabelsMaskArray());
            network.computeGradientAndScore();
        }
        assertEquals(plain.score(), helped.score(), 1e-4);
        INDArray plainGradient = plain.gradient().gradient();
        INDArray helpedGradient = helped.gradient().gradient();
        double scale = plainGradient.amaxNumber().doubleValue();
        double difference = plainGradient.sub(helpedGradient).amaxNumber().doubleValue();
        assertTrue(scale > 0 && difference < 1e-3 * scale, "gradients differ by up to " + difference
                + " (largest " + scale + ")");
    }

    @Test
    void configurationRoundTripsThroughJson() {
        MultiLayerConfiguration configuration = CrnnModel.configuration(32, VOCABULARY.size(),
                CrnnModel.Size.standard(), new ProgressSchedule(3e-3, 0.4, 0.02, null), 1);
        assertEquals(configuration, MultiLayerConfiguration.fromJson(configuration.toJson()));
    }

    @Test
    void modelFileRestoresTheSameReader(@TempDir Path dir) {
        OcrRecognizer recognizer = new OcrRecognizer(network(), VOCABULARY, 32);
        List<LineImage> images = new ArrayList<>();
        GENERATOR.samples(0, 4).forEach(s -> images.add(s.image()));
        Path file = dir.resolve("m.zip");
        OcrModelFile.save(recognizer, file);
        OcrRecognizer restored = OcrModelFile.load(file);
        assertEquals(32, restored.height());
        assertEquals(VOCABULARY, restored.vocabulary());
        INDArray before = recognizer.network().params();
        assertEquals(before, restored.network().params());
        assertEquals(recognizer.read(images, new CtcGreedyDecoder(), 3),
                restored.read(images, new CtcGreedyDecoder(), 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OcrModelFile.load(dir.resolve("missing.zip")));
        assertTrue(e.getMessage().contains("missing.zip"), e.getMessage());
    }

    @Test
    void rejectsHeightsTheNetworkCannotCollapse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrnnModel.configuration(30, 10, CrnnModel.Size.small(), new FixedSchedule(1e-3), 1));
        assertTrue(e.getMessage().contains("30"), e.getMessage());
    }
}
