package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.File;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CtcLossLayer}: PyTorch's golden values, parity with {@link CtcOutputLayer} with an identity projection,
 * float64 gradient checks, padding invariance, JSON, ModelSerializer, input types and bad input.
 */
@ExtendWith(DoublePrecision.class)
class CtcLossLayerTest {
    private static final double TOL = 1e-9;

    /** GradientCheckUtil refuses to run unless ND4J's default type is DOUBLE. */

    static List<GoldenCtcCase> cases() {
        return GoldenCtcCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scoresEqualTorchInBothFormatsAndBothNetworkKinds(GoldenCtcCase g) {
        for (RNNFormat format : RNNFormat.values()) {
            for (CtcReduction reduction : new CtcReduction[]{CtcReduction.MEAN, CtcReduction.SUM}) {
                String what = g + " " + format + " " + reduction;
                DataSet data = dataSet(g, format);
                MultiLayerNetwork mln = mln(g, reduction, format);
                assertClose(expected(g, reduction), mln.score(data), what + " MLN score");
                assertClose(g.lossNone, mln.scoreExamples(data, false), what + " MLN scoreExamples");
                ComputationGraph graph = graph(g, reduction, format);
                assertClose(expected(g, reduction), graph.score(data), what + " CG score");
                assertClose(g.lossNone, graph.scoreExamples(new MultiDataSet(data.getFeatures(), data.getLabels(),
                        data.getFeaturesMaskArray(), data.getLabelsMaskArray()), false), what + " CG scoreExamples");
            }
        }
    }

    /** The epsilon is the gradient of the reduced loss with respect to the logits, times N (DL4J's convention). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void epsilonIsTorchsLogitGradientTimesMinibatchSize(GoldenCtcCase g) {
        if (!g.hasFiniteGradients()) {
            return; // torch's gradient is NaN for an infeasible example without zero_infinity
        }
        for (RNNFormat format : RNNFormat.values()) {
            for (CtcReduction reduction : new CtcReduction[]{CtcReduction.MEAN, CtcReduction.SUM}) {
                MultiLayerNetwork net = mln(g, reduction, format);
                CtcLossLayerImpl layer = (CtcLossLayerImpl) net.getLayer(0);
                LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
                layer.feedForwardMaskArray(g.featuresMask(DataType.DOUBLE), null, g.n);
                layer.setMaskArray(g.labelsMask(DataType.DOUBLE));
                layer.setInput(input(g, format), mgr);
                layer.setLabels(g.labels(DataType.DOUBLE));

                INDArray epsilon = layer.backpropGradient(null, mgr).getSecond();

                INDArray torchNcw = g.gradientNcw(reduction == CtcReduction.MEAN ? g.gradMean : g.gradSum).mul(g.n);
                INDArray expected = format == RNNFormat.NCW ? torchNcw : torchNcw.permute(0, 2, 1).dup('c');
                assertClose(expected, epsilon, 1e-9, g + " " + format + " " + reduction + " epsilon");
                assertClose(expected(g, reduction), layer.computeScore(0.0, true, mgr), g + " score after backprop");
            }
        }
    }

    /** FLOAT networks scale (and for NCW transpose) the gradient on the Java side: same values as in DOUBLE. */
    @Test
    void float32EpsilonIsTheFloat64EpsilonInBothFormats() {
        GoldenCtcCase g = GoldenCtcCase.named("ragged_lengths");
        for (RNNFormat format : RNNFormat.values()) {
            INDArray expected = g.gradientNcw(g.gradMean).mul(g.n);
            if (format == RNNFormat.NWC) {
                expected = expected.permute(0, 2, 1).dup('c');
            }
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .dataType(DataType.FLOAT).updater(new NoOp()).list().layer(layer(g, CtcReduction.MEAN, format))
                    .build());
            net.init();
            DataSet data = new DataSet(input(g, format).castTo(DataType.FLOAT), g.labels(DataType.FLOAT),
                    g.featuresMask(DataType.FLOAT), g.labelsMask(DataType.FLOAT));
            assertClose(expected, epsilonOf(net, data), 1e-5, format + " epsilon");
        }
    }

    /**
     * A FLOAT input that is a view (offset 0, c order, not contiguous: a class range of a wider array) gives the
     * same score and epsilon as its copy, in both formats.
     */
    @Test
    void float32InputViewScoresAsItsCopyInBothFormats() {
        GoldenCtcCase g = GoldenCtcCase.named("ragged_lengths");
        for (RNNFormat format : RNNFormat.values()) {
            INDArray x = input(g, format).castTo(DataType.FLOAT);
            int axis = format == RNNFormat.NCW ? 1 : 2;
            long[] wideShape = x.shape().clone();
            wideShape[axis] += 3;
            INDArray wide = Nd4j.valueArrayOf(wideShape, 7.0f);
            INDArray view = wide.get(NDArrayIndex.all(), axis == 1 ? NDArrayIndex.interval(0, x.size(1))
                    : NDArrayIndex.all(), axis == 2 ? NDArrayIndex.interval(0, x.size(2)) : NDArrayIndex.all());
            view.assign(x);
            assertEquals(0, view.offset());
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .dataType(DataType.FLOAT).updater(new NoOp()).list()
                    .layer(layer(g, CtcReduction.MEAN, format)).build());
            net.init();
            DataSet copy = new DataSet(x, g.labels(DataType.FLOAT), g.featuresMask(DataType.FLOAT),
                    g.labelsMask(DataType.FLOAT));
            DataSet ofView = new DataSet(view, g.labels(DataType.FLOAT), g.featuresMask(DataType.FLOAT),
                    g.labelsMask(DataType.FLOAT));
            double expected = net.score(copy);
            assertEquals(expected, net.score(ofView), 1e-5 * Math.abs(expected), format + " score");
            assertClose(epsilonOf(net, copy), epsilonOf(net, ofView), 1e-5, format + " epsilon");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputScoresAndEpsilonEqualCtcOutputLayerWithIdentityProjection(GoldenCtcCase g) {
        for (RNNFormat format : RNNFormat.values()) {
            MultiLayerNetwork loss = mln(g, CtcReduction.MEAN, format);
            MultiLayerNetwork projected = CtcTestNets.identityMln(g, CtcReduction.MEAN, format, DataType.DOUBLE,
                    WorkspaceMode.ENABLED);
            DataSet data = dataSet(g, format);
            String what = g + " " + format;
            assertClose(projected.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null),
                    loss.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null), 1e-15, what + " output");
            assertEquals(projected.score(data), loss.score(data), 1e-12, what + " score");
            assertClose(projected.scoreExamples(data, false), loss.scoreExamples(data, false), 1e-12,
                    what + " scoreExamples");
            if (g.hasFiniteGradients()) {
                assertClose(epsilonOf(projected, data), epsilonOf(loss, data), 1e-12, what + " epsilon");
            }
        }
    }

    @Test
    void outputIsTheSoftmaxWithPaddingFramesZero() {
        GoldenCtcCase g = GoldenCtcCase.named("ragged_lengths");
        MultiLayerNetwork net = mln(g, CtcReduction.MEAN, RNNFormat.NWC);
        INDArray x = g.inputNwc(DataType.DOUBLE);
        INDArray out = net.output(x, false, g.featuresMask(DataType.DOUBLE), null);
        for (int i = 0; i < g.n; i++) {
            for (int t = 0; t < g.t; t++) {
                INDArray frame = out.get(NDArrayIndex.point(i), NDArrayIndex.point(t), NDArrayIndex.all());
                if (t < g.inputLengths[i]) {
                    INDArray logits = x.get(NDArrayIndex.point(i), NDArrayIndex.point(t), NDArrayIndex.all());
                    INDArray exp = org.nd4j.linalg.ops.transforms.Transforms.exp(logits.sub(logits.maxNumber()));
                    assertClose(exp.div(exp.sumNumber()), frame, 1e-15, "frame " + i + "," + t);
                } else {
                    assertEquals(0.0, frame.amaxNumber().doubleValue(), 0.0, "padding frame " + i + "," + t);
                }
            }
        }
        assertEquals(x, g.inputNwc(DataType.DOUBLE), "the input is left as it was");
    }

    @Test
    void gradientCheckLstmThenCtcLossLayerWithRaggedMasks() {
        for (RNNFormat format : RNNFormat.values()) {
            MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                    .layer(new LSTM.Builder().nIn(3).nOut(5).activation(Activation.TANH).dataFormat(format).build())
                    .layer(new CtcLossLayer.Builder().blankIndex(0).dataFormat(format).build())
                    .build());
            net.init();
            INDArray x = gradientCheckInput(format);
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(gradientCheckLabels()).inputMask(mask(new int[]{6, 4, 5}, 6))
                    .labelMask(mask(new int[]{3, 2, 1}, 3)).epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-8)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), format.toString());
        }
    }

    @Test
    void gradientCheckComputationGraphSumReduction() {
        ComputationGraph net = new ComputationGraph(base().graphBuilder().addInputs("in")
                .addLayer("lstm", new LSTM.Builder().nIn(3).nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("ctc", new CtcLossLayer.Builder().reduction(CtcReduction.SUM).build(), "lstm")
                .setOutputs("ctc")
                .build());
        net.init();
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{gradientCheckInput(RNNFormat.NCW)})
                .labels(new INDArray[]{gradientCheckLabels()})
                .inputMask(new INDArray[]{mask(new int[]{6, 4, 5}, 6)})
                .labelMask(new INDArray[]{mask(new int[]{3, 2, 1}, 3)})
                .epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    /** A padded sample in a ragged minibatch scores and backpropagates as the same sample alone (SUM). */
    @Test
    void paddedSampleEqualsTheSameSampleAlone() {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(new LSTM.Builder().nIn(3).nOut(5).activation(Activation.TANH).build())
                .layer(new CtcLossLayer.Builder().reduction(CtcReduction.SUM).build())
                .build());
        net.init();
        INDArray x = gradientCheckInput(RNNFormat.NCW);
        INDArray labels = gradientCheckLabels();
        int[] inputLengths = {6, 4, 5};
        int[] targetLengths = {3, 2, 1};
        INDArray garbage = x.dup();
        for (int i = 0; i < 3; i++) {
            garbage.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.interval(inputLengths[i], 6))
                    .assign(1e3);
        }
        net.setInput(garbage);
        net.setLabels(labels);
        net.setLayerMaskArrays(mask(inputLengths, 6), mask(targetLengths, 3));
        net.computeGradientAndScore();
        double batchScore = net.score();
        INDArray batchGradient = net.gradient().gradient().dup();
        net.clearLayerMaskArrays();

        double sumAlone = 0;
        INDArray sumGradient = batchGradient.like();
        for (int i = 0; i < 3; i++) {
            net.setInput(x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                    NDArrayIndex.interval(0, inputLengths[i])).dup());
            net.setLabels(labels.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.interval(0, targetLengths[i]))
                    .dup());
            net.computeGradientAndScore();
            sumAlone += net.score();
            sumGradient.addi(net.gradient().gradient());
        }
        assertEquals(sumAlone, batchScore, 1e-12 * Math.abs(sumAlone));
        // DL4J's gradient is that of the SUM divided by... nothing here: the layer multiplies by N, DL4J divides.
        assertClose(sumGradient, batchGradient.div(3), 1e-12, "parameter gradient");
    }

    @Test
    void jsonRoundTripsAndInputTypeSetsClassesAndFormat() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new LSTM.Builder().nOut(6).activation(Activation.IDENTITY).build())
                .layer(new CtcLossLayer.Builder().blankIndex(5).reduction(CtcReduction.SUM).zeroInfinity(true)
                        .name("ctc").build())
                .setInputType(InputType.recurrent(3, 7, RNNFormat.NWC))
                .build();
        CtcLossLayer layer = (CtcLossLayer) conf.getConf(1).getLayer();
        assertEquals(6, layer.getNIn());
        assertEquals(6, layer.getNOut());
        assertEquals(RNNFormat.NWC, layer.getRnnDataFormat());
        assertEquals(InputType.recurrent(6, 7, RNNFormat.NWC), layer.getOutputType(1,
                InputType.recurrent(6, 7, RNNFormat.NWC)));

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        CtcLossLayer back = (CtcLossLayer) restored.getConf(1).getLayer();
        assertEquals(5, back.getBlankIndex());
        assertEquals(CtcReduction.SUM, back.getReduction());
        assertTrue(back.isZeroInfinity());
        assertEquals(RNNFormat.NWC, back.getRnnDataFormat());

        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("ctc", new CtcLossLayer.Builder().dataFormat(RNNFormat.NWC).build(), "in")
                .setOutputs("ctc").build();
        assertEquals(graph, ComputationGraphConfiguration.fromJson(graph.toJson()));
    }

    @Test
    void modelSerializerRestoresATrainedNetwork(@TempDir File dir) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new Adam(0.05)).list()
                .layer(new LSTM.Builder().nIn(3).nOut(5).activation(Activation.IDENTITY).build())
                .layer(new CtcLossLayer.Builder().build())
                .build());
        net.init();
        DataSet data = new DataSet(gradientCheckInput(RNNFormat.NCW), gradientCheckLabels(),
                mask(new int[]{6, 4, 5}, 6), mask(new int[]{3, 2, 1}, 3));
        double before = net.score(data);
        for (int i = 0; i < 30; i++) {
            net.fit(data);
        }
        double after = net.score(data);
        assertTrue(after < before, before + " -> " + after);

        File file = new File(dir, "net.zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(after, restored.score(data), 0.0);
        assertEquals(net.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null),
                restored.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null));
        net.fit(data);
        restored.fit(data);
        assertEquals(net.params(), restored.params(), "the updater state came back too");

        ComputationGraph graph = graph(GoldenCtcCase.named("basic"), CtcReduction.MEAN, RNNFormat.NCW);
        File graphFile = new File(dir, "graph.zip");
        ModelSerializer.writeModel(graph, graphFile, true);
        ComputationGraph graphBack = ModelSerializer.restoreComputationGraph(graphFile, true);
        DataSet golden = dataSet(GoldenCtcCase.named("basic"), RNNFormat.NCW);
        assertEquals(graph.score(golden), graphBack.score(golden), 0.0);
    }

    @Test
    void badInputIsRefusedNamingTheArgument() {
        GoldenCtcCase g = GoldenCtcCase.named("basic");
        MultiLayerNetwork net = mln(g, CtcReduction.MEAN, RNNFormat.NCW);
        INDArray x = g.inputNcw(DataType.DOUBLE);

        MultiLayerNetwork blankTooLarge = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).list().layer(new CtcLossLayer.Builder().blankIndex(g.c).build()).build());
        blankTooLarge.init();
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> blankTooLarge.output(x));
        assertTrue(blank.getMessage().startsWith("blankIndex: got " + g.c), blank.getMessage());

        INDArray labels = g.labels(DataType.DOUBLE);
        labels.putScalar(0, 0, g.c);
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> net.score(new DataSet(x, labels)));
        assertTrue(label.getMessage().startsWith("labels: example 0, position 0: got " + (double) g.c),
                label.getMessage());

        MultiLayerNetwork typed = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new CtcLossLayer.Builder().build()).setInputType(InputType.recurrent(g.c)).build());
        typed.init();
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> typed.output(Nd4j.rand(DataType.FLOAT, 2, g.c + 1, 3)));
        assertTrue(classes.getMessage().startsWith("input: got shape [2, " + (g.c + 1) + ", 3], expected"),
                classes.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new CtcLossLayer.Builder().reduction(CtcReduction.NONE));
        assertThrows(IllegalArgumentException.class, () -> new CtcLossLayer.Builder().nIn(3).nOut(4).build());
    }

    private static MultiLayerNetwork mln(GoldenCtcCase g, CtcReduction reduction, RNNFormat format) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new NoOp()).list().layer(layer(g, reduction, format)).build());
        net.init();
        return net;
    }

    private static ComputationGraph graph(GoldenCtcCase g, CtcReduction reduction, RNNFormat format) {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new NoOp()).graphBuilder().addInputs("in")
                .addLayer("ctc", layer(g, reduction, format), "in").setOutputs("ctc").build());
        net.init();
        return net;
    }

    private static CtcLossLayer layer(GoldenCtcCase g, CtcReduction reduction, RNNFormat format) {
        return new CtcLossLayer.Builder().blankIndex(g.blank).reduction(reduction).zeroInfinity(g.zeroInfinity)
                .dataFormat(format).build();
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE).updater(new NoOp());
    }

    private static INDArray input(GoldenCtcCase g, RNNFormat format) {
        return format == RNNFormat.NCW ? g.inputNcw(DataType.DOUBLE) : g.inputNwc(DataType.DOUBLE);
    }

    private static DataSet dataSet(GoldenCtcCase g, RNNFormat format) {
        return new DataSet(input(g, format), g.labels(DataType.DOUBLE), g.featuresMask(DataType.DOUBLE),
                g.labelsMask(DataType.DOUBLE));
    }

    private static INDArray epsilonOf(MultiLayerNetwork net, DataSet data) {
        net.initGradientsView();
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.feedForwardMaskArray(data.getFeaturesMaskArray(), null, (int) data.getFeatures().size(0));
        layer.setMaskArray(data.getLabelsMaskArray());
        layer.setInput(data.getFeatures(), mgr);
        ((org.deeplearning4j.nn.api.layers.IOutputLayer) layer).setLabels(data.getLabels());
        return layer.backpropGradient(null, mgr).getSecond().dup();
    }

    private static INDArray gradientCheckInput(RNNFormat format) {
        Nd4j.getRandom().setSeed(42);
        INDArray ncw = Nd4j.rand(DataType.DOUBLE, 3, 3, 6).subi(0.5).muli(2);
        return format == RNNFormat.NCW ? ncw : ncw.permute(0, 2, 1).dup('c');
    }

    private static INDArray gradientCheckLabels() {
        return Nd4j.createFromArray(new double[][]{{1, 2, 3}, {4, 1, 0}, {2, 4, 0}});
    }

    private static INDArray mask(int[] lengths, int width) {
        return GoldenCtcCase.prefixMask(lengths, width, DataType.DOUBLE);
    }

    private static double expected(GoldenCtcCase g, CtcReduction reduction) {
        return reduction == CtcReduction.MEAN ? g.lossMean : g.lossSum;
    }

    private static void assertClose(double expected, double actual, String what) {
        if (Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
            return;
        }
        assertEquals(expected, actual, TOL * Math.max(1.0, Math.abs(expected)), what);
    }

    private static void assertClose(double[] expected, INDArray actualColumn, String what) {
        assertArrayEquals(new long[]{expected.length, 1}, actualColumn.shape(), what + " shape");
        double[] actual = actualColumn.castTo(DataType.DOUBLE).reshape(expected.length).toDoubleVector();
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], what + "[" + i + "]");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, double absTol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        // Equal infinities (per-example losses of infeasible targets) are equal.
        INDArray diff = e.sub(a);
        org.nd4j.linalg.indexing.BooleanIndexing.replaceWhere(diff, 0.0,
                org.nd4j.linalg.indexing.conditions.Conditions.isNan());
        double maxDiff = diff.amaxNumber().doubleValue();
        assertTrue(maxDiff <= absTol, what + ": max |difference| " + maxDiff);
    }
}
