package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CtcSameDiffOutputLayer}: score, per-example scores and gradients equal to {@link CtcOutputLayer} with the
 * same parameters on -1-padded labels, minibatches of changing T and S, refused labels and masks, JSON,
 * ModelSerializer, and a saved network restored and trained in a fresh JVM.
 */
class CtcSameDiffOutputLayerTest {
    private static final int N_IN = 3;
    private static final int HIDDEN = 4;
    private static final int C = 5;
    /** Targets of lengths 3, 2, 1 (S = 3), -1 after each; blank 0. */
    private static final double[][] LABELS = {{1, 2, 2}, {4, 1, -1}, {3, -1, -1}};

    @Test
    void scoreScoreExamplesAndGradientsEqualCtcOutputLayer() {
        for (RNNFormat format : RNNFormat.values()) {
            for (CtcReduction reduction : new CtcReduction[]{CtcReduction.MEAN, CtcReduction.SUM}) {
                String what = format + " " + reduction;
                MultiLayerNetwork sd = net(sameDiff(reduction, format).build(), format, new NoOp());
                MultiLayerNetwork plain = net(new CtcOutputLayer.Builder().nIn(HIDDEN).nOut(C).reduction(reduction)
                        .dataFormat(format).build(), format, new NoOp());
                copyParams(sd, plain);
                INDArray x = input(3, 7, format);
                INDArray labels = Nd4j.createFromArray(LABELS);
                DataSet withMask = new DataSet(x, labels, null, labelsMask(LABELS));

                sd.setInput(x);
                sd.setLabels(labels);
                sd.computeGradientAndScore();
                plain.setInput(x);
                plain.setLabels(labels);
                plain.setLayerMaskArrays(null, labelsMask(LABELS));
                plain.computeGradientAndScore();
                plain.clearLayerMaskArrays();

                assertEquals(plain.score(), sd.score(), 1e-12 * Math.abs(plain.score()), what + " training score");
                for (String key : new String[]{"0_W", "0_RW", "0_b", "1_W", "1_b"}) {
                    assertClose(plain.gradient().getGradientFor(key), sd.gradient().getGradientFor(key), 1e-10,
                            what + " gradient " + key);
                }
                assertEquals(plain.score(withMask), sd.score(new DataSet(x, labels)), 1e-12, what + " score");
                assertClose(plain.scoreExamples(withMask, false), sd.scoreExamples(new DataSet(x, labels), false),
                        1e-12, what + " scoreExamples");
                assertClose(plain.output(x), sd.output(x), 1e-12, what + " output");
            }
        }
    }

    @Test
    void framesAndLabelWidthMayChangeBetweenMinibatchesAndRegularisationIsAddedOnce() {
        Layer sdLayer = sameDiff(CtcReduction.MEAN, RNNFormat.NCW).l2(0.01).build();
        MultiLayerNetwork sd = net(sdLayer, RNNFormat.NCW, new NoOp());
        MultiLayerNetwork plain = net(new CtcOutputLayer.Builder().nIn(HIDDEN).nOut(C).l2(0.01).build(),
                RNNFormat.NCW, new NoOp());
        copyParams(sd, plain);
        double[][] shorter = {{3, 1}, {2, -1}};
        for (int round = 0; round < 2; round++) {
            INDArray x7 = input(3, 7, RNNFormat.NCW);
            INDArray x4 = input(2, 4, RNNFormat.NCW);
            assertEquals(plain.score(new DataSet(x7, Nd4j.createFromArray(LABELS), null, labelsMask(LABELS))),
                    sd.score(new DataSet(x7, Nd4j.createFromArray(LABELS))), 1e-12, "T = 7, S = 3");
            assertEquals(plain.score(new DataSet(x4, Nd4j.createFromArray(shorter), null, labelsMask(shorter))),
                    sd.score(new DataSet(x4, Nd4j.createFromArray(shorter))), 1e-12, "T = 4, S = 2");
        }
    }

    @Test
    void labelsNotPaddedWithMinusOneAfterTheirTargetsAreRefused() {
        MultiLayerNetwork net = net(sameDiff(CtcReduction.MEAN, RNNFormat.NCW).build(), RNNFormat.NCW, new NoOp());
        INDArray x = input(3, 7, RNNFormat.NCW);
        assertRefused(net, x, new double[][]{{1, -1, 2}, {4, 1, -1}, {3, -1, -1}},
                "labels: example 0, position 2: got 2.0, expected -1 (padding continues to the end of the row)");
        assertRefused(net, x, new double[][]{{1, 2, 2}, {4, 1, 0}, {3, -1, -1}},
                "labels: example 1, position 2: got 0.0, expected an integer class index in [0, 5) other than"
                        + " the blank 0, or -1 to start the padding");
        assertRefused(net, x, new double[][]{{1, 2, 2}, {4, 1, -1}, {3, -2, -1}},
                "labels: example 2, position 1: got -2.0, expected");
        assertRefused(net, x, new double[][]{{1, 2.5, 2}, {4, 1, -1}, {3, -1, -1}},
                "labels: example 0, position 1: got 2.5, expected");
        assertRefused(net, x, new double[][]{{1, 2, 5}, {4, 1, -1}, {3, -1, -1}},
                "labels: example 0, position 2: got 5.0, expected");

        DataSet wrongMask = new DataSet(x, Nd4j.createFromArray(LABELS), null,
                labelsMask(new double[][]{{1, 2, 2}, {4, -1, -1}, {3, -1, -1}}));
        IllegalArgumentException mask = assertThrows(IllegalArgumentException.class, () -> net.score(wrongMask));
        assertTrue(mask.getMessage().startsWith("labels mask: example 1, position 1: got 0.0, expected 1"),
                mask.getMessage());

        INDArray raggedFrames = Nd4j.ones(DataType.DOUBLE, 3, 7);
        raggedFrames.putScalar(1, 6, 0.0);
        IllegalArgumentException frames = assertThrows(IllegalArgumentException.class,
                () -> net.score(new DataSet(x, Nd4j.createFromArray(LABELS), raggedFrames, null)));
        assertTrue(frames.getMessage().startsWith("features mask: got a 0 in [3, 7], expected none"),
                frames.getMessage());
        double allOnes = net.score(new DataSet(x, Nd4j.createFromArray(LABELS), Nd4j.ones(DataType.DOUBLE, 3, 7),
                null));
        net.clearLayerMaskArrays();
        assertEquals(net.score(new DataSet(x, Nd4j.createFromArray(LABELS))), allOnes, 0.0,
                "an all-ones features mask is accepted");
    }

    @Test
    void jsonAndModelSerializerRoundTripsAndAFreshJvmLoadsAndTrainsTheSavedNetwork(@TempDir File dir)
            throws Exception {
        MultiLayerNetwork net = net(sameDiff(CtcReduction.SUM, RNNFormat.NWC).blankIndex(4).name("ctc").build(),
                RNNFormat.NWC, new Adam(0.05));
        MultiLayerConfiguration restoredConf = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations()
                .toJson());
        assertEquals(net.getLayerWiseConfigurations(), restoredConf);
        CtcSameDiffOutputLayer layer = (CtcSameDiffOutputLayer) restoredConf.getConf(1).getLayer();
        assertEquals(4, layer.getBlankIndex());
        assertEquals(CtcReduction.SUM, layer.getReduction());
        assertEquals(RNNFormat.NWC, layer.getRnnDataFormat());

        double[][] labels = {{1, 2, 2}, {0, 1, -1}, {3, -1, -1}};
        DataSet data = new DataSet(input(3, 7, RNNFormat.NWC), Nd4j.createFromArray(labels));
        double before = net.score(data);
        for (int i = 0; i < 20; i++) {
            net.fit(data);
        }
        double trained = net.score(data);
        assertTrue(trained < before, before + " -> " + trained);

        File model = new File(dir, "net.zip");
        ModelSerializer.writeModel(net, model, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(model, true);
        assertEquals(trained, restored.score(data), 1e-12);
        net.fit(data);
        restored.fit(data);
        double afterFit = net.score(data);
        assertEquals(afterFit, restored.score(data), 1e-12, "updater state restored");

        File dataFile = new File(dir, "data.bin");
        data.save(dataFile);
        ModelSerializer.writeModel(net, model, true);
        net.fit(data);
        double afterSecondFit = net.score(data);
        List<String> lines = runInFreshJvm(model, dataFile);
        assertEquals("score " + afterFit, lines.get(lines.size() - 2));
        double freshAfterFit = Double.parseDouble(lines.get(lines.size() - 1).substring("after fit ".length()));
        assertEquals(afterSecondFit, freshAfterFit, 1e-12);
    }

    private static List<String> runInFreshJvm(File model, File data) throws Exception {
        String java = new File(System.getProperty("java.home"), "bin/java").getPath();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CtcSameDiffLoadMain.class.getName(), model.getPath(), data.getPath());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("score ") || line.startsWith("after fit ")) {
                    lines.add(line);
                } else if (line.contains("Exception")) {
                    lines.add(line);
                }
            }
        }
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "fresh JVM finished");
        assertEquals(0, p.exitValue(), "fresh JVM exit code; output " + lines);
        return lines;
    }

    private static void assertRefused(MultiLayerNetwork net, INDArray x, double[][] labels, String messageStart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.score(new DataSet(x, Nd4j.createFromArray(labels))));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
        IllegalArgumentException fit = assertThrows(IllegalArgumentException.class,
                () -> net.fit(new DataSet(x, Nd4j.createFromArray(labels))));
        assertTrue(fit.getMessage().startsWith(messageStart), fit.getMessage());
    }

    /**
     * From the CtcOutputLayer network into the SameDiff one, by name (the flattened parameters are in another order
     * than DefaultParamInitializer's): also checks that setParam of the SameDiff layer sets the values.
     */
    private static void copyParams(MultiLayerNetwork to, MultiLayerNetwork from) {
        to.getLayer(0).setParams(from.getLayer(0).params().dup());
        for (String key : new String[]{"W", "b"}) {
            to.getLayer(1).setParam(key, from.getLayer(1).getParam(key).dup());
            assertEquals(from.getLayer(1).getParam(key), to.getLayer(1).getParam(key), key);
        }
    }

    private static CtcSameDiffOutputLayer.Builder sameDiff(CtcReduction reduction, RNNFormat format) {
        return new CtcSameDiffOutputLayer.Builder().nIn(HIDDEN).nOut(C).reduction(reduction).dataFormat(format);
    }

    private static MultiLayerNetwork net(Layer output, RNNFormat format, org.nd4j.linalg.learning.config.IUpdater u) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                .dataType(DataType.DOUBLE).updater(u).list()
                .layer(new LSTM.Builder().nIn(N_IN).nOut(HIDDEN).activation(Activation.TANH).dataFormat(format)
                        .build())
                .layer(output)
                .build());
        net.init();
        return net;
    }

    private static INDArray input(int n, int t, RNNFormat format) {
        Nd4j.getRandom().setSeed(3);
        INDArray ncw = Nd4j.rand(DataType.DOUBLE, n, N_IN, t).subi(0.5).muli(2);
        return format == RNNFormat.NCW ? ncw : ncw.permute(0, 2, 1).dup('c');
    }

    private static INDArray labelsMask(double[][] labels) {
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, labels.length, labels[0].length);
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < labels[i].length && labels[i][j] >= 0; j++) {
                mask.putScalar(i, j, 1.0);
            }
        }
        return mask;
    }

    private static void assertClose(INDArray expected, INDArray actual, double absTol, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()),
                what + " shape");
        double maxDiff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber()
                .doubleValue();
        assertTrue(maxDiff <= absTol, what + ": max |difference| " + maxDiff);
    }
}
