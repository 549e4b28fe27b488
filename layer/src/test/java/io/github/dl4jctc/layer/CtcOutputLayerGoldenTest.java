package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scores, per-example scores and gradients against PyTorch's {@code ctc_loss} (golden values computed in float64).
 * With W = identity and b = 0 the layer's logits are the golden logits.
 */
class CtcOutputLayerGoldenTest {
    private static final double TOL = 1e-9;

    static List<GoldenCtcCase> cases() {
        return GoldenCtcCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void multiLayerNetworkScoresEqualTorch(GoldenCtcCase g) {
        for (CtcReduction reduction : new CtcReduction[]{CtcReduction.MEAN, CtcReduction.SUM}) {
            MultiLayerNetwork net = CtcTestNets.identityMln(g, reduction, RNNFormat.NCW, DataType.DOUBLE,
                    WorkspaceMode.ENABLED);
            DataSet data = dataSet(g, DataType.DOUBLE);

            assertClose(expected(g, reduction), net.score(data), TOL, g + " " + reduction + " score");
            assertClose(g.lossNone, net.scoreExamples(data, true), TOL, g + " " + reduction + " scoreExamples");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void computationGraphScoresEqualTorch(GoldenCtcCase g) {
        for (CtcReduction reduction : new CtcReduction[]{CtcReduction.MEAN, CtcReduction.SUM}) {
            ComputationGraph net = CtcTestNets.identityGraph(g, reduction, RNNFormat.NCW, DataType.DOUBLE,
                    WorkspaceMode.ENABLED);
            DataSet data = dataSet(g, DataType.DOUBLE);

            assertClose(expected(g, reduction), net.score(data), TOL, g + " " + reduction + " score");
            assertClose(g.lossNone, net.scoreExamples(new MultiDataSet(data.getFeatures(), data.getLabels(),
                            data.getFeaturesMaskArray(), data.getLabelsMaskArray()), true), TOL,
                    g + " " + reduction + " scoreExamples");
        }
    }

    /**
     * The score of computeGradientAndScore is torch's loss, and the parameter gradient after DL4J's division by the
     * minibatch size is the gradient of that loss: with W = I, dL/dW = X^T G and dL/db = sum of G over frames,
     * where G is torch's gradient w.r.t. the logits.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void multiLayerNetworkGradientIsTorchsGradientTimesMinibatchSize(GoldenCtcCase g) {
        if (!g.hasFiniteGradients()) {
            return; // torch's gradient is NaN for an infeasible example without zero_infinity
        }
        for (CtcReduction reduction : new CtcReduction[]{CtcReduction.MEAN, CtcReduction.SUM}) {
            MultiLayerNetwork net = CtcTestNets.identityMln(g, reduction, RNNFormat.NCW, DataType.DOUBLE,
                    WorkspaceMode.ENABLED);
            net.setInput(g.inputNcw(DataType.DOUBLE));
            net.setLabels(g.labels(DataType.DOUBLE));
            net.setLayerMaskArrays(g.featuresMask(DataType.DOUBLE), g.labelsMask(DataType.DOUBLE));
            net.computeGradientAndScore();

            assertClose(expected(g, reduction), net.score(), TOL, g + " " + reduction + " score");
            INDArray torchGrad = rowsPerFrame(g.gradientNcw(reduction == CtcReduction.MEAN ? g.gradMean : g.gradSum));
            INDArray frames = rowsPerFrame(g.inputNcw(DataType.DOUBLE));
            Gradient gradient = net.gradient();
            INDArray w = gradient.getGradientFor("0_W").div(g.n);
            INDArray b = gradient.getGradientFor("0_b").div(g.n);
            assertClose(frames.transpose().mmul(torchGrad), w, 1e-9, g + " " + reduction + " dL/dW");
            assertClose(torchGrad.sum(0).reshape(b.shape()), b, 1e-9, g + " " + reduction + " dL/db");
        }
    }

    @Test
    void computationGraphTrainingScoreUsesTheFeaturesMaskWithoutLabelsMask() {
        // ComputationGraph calls setMaskArray(null) on the output layer between backprop and score when there is
        // no labels mask: the input lengths must still apply to the score.
        GoldenCtcCase g = GoldenCtcCase.named("ragged_lengths");
        ComputationGraph net = CtcTestNets.identityGraph(g, CtcReduction.SUM, RNNFormat.NCW, DataType.DOUBLE,
                WorkspaceMode.ENABLED);
        INDArray x = g.inputNcw(DataType.DOUBLE);
        INDArray y = g.labels(DataType.DOUBLE);
        INDArray featuresMask = g.featuresMask(DataType.DOUBLE);
        double withMask = net.score(new DataSet(x, y, featuresMask, null));
        double allFrames = net.score(new DataSet(x, y));
        assertTrue(Math.abs(withMask - allFrames) > 1.0, withMask + " vs " + allFrames);

        net.setInputs(x);
        net.setLabels(y);
        net.setLayerMaskArrays(new INDArray[]{featuresMask}, null);
        net.computeGradientAndScore();
        assertClose(withMask, net.score(), TOL, "training score");
    }

    @Test
    void layerEpsilonIsTorchsLogitGradientTimesMinibatchSize() {
        GoldenCtcCase g = GoldenCtcCase.named("ragged_lengths");
        MultiLayerNetwork net = CtcTestNets.identityMln(g, CtcReduction.MEAN, RNNFormat.NCW, DataType.DOUBLE,
                WorkspaceMode.NONE);
        net.initGradientsView();
        CtcOutputLayerImpl layer = (CtcOutputLayerImpl) net.getLayer(0);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.feedForwardMaskArray(g.featuresMask(DataType.DOUBLE), null, g.n);
        layer.setMaskArray(g.labelsMask(DataType.DOUBLE));
        layer.setInput(g.inputNcw(DataType.DOUBLE), mgr);
        layer.setLabels(g.labels(DataType.DOUBLE));

        INDArray epsilon = layer.backpropGradient(null, mgr).getSecond();

        assertClose(g.gradientNcw(g.gradMean).mul(g.n), epsilon, 1e-9, "epsilon");
        assertClose(g.lossMean, layer.computeScore(0.0, true, mgr), TOL, "score after backprop");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nwcGivesTheSameScores(GoldenCtcCase g) {
        MultiLayerNetwork net = CtcTestNets.identityMln(g, CtcReduction.MEAN, RNNFormat.NWC, DataType.DOUBLE,
                WorkspaceMode.ENABLED);
        DataSet data = new DataSet(g.inputNwc(DataType.DOUBLE), g.labels(DataType.DOUBLE),
                g.featuresMask(DataType.DOUBLE), g.labelsMask(DataType.DOUBLE));
        assertClose(g.lossMean, net.score(data), TOL, g + " score");
        assertClose(g.lossNone, net.scoreExamples(data, false), TOL, g + " scoreExamples");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void workspacesOffGiveTheSameScores(GoldenCtcCase g) {
        MultiLayerNetwork net = CtcTestNets.identityMln(g, CtcReduction.SUM, RNNFormat.NCW, DataType.DOUBLE,
                WorkspaceMode.NONE);
        DataSet data = dataSet(g, DataType.DOUBLE);
        assertClose(g.lossSum, net.score(data), TOL, g + " score");
        assertClose(g.lossNone, net.scoreExamples(data, false), TOL, g + " scoreExamples");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float32NetworkScoresAreCloseToTorch(GoldenCtcCase g) {
        MultiLayerNetwork net = CtcTestNets.identityMln(g, CtcReduction.MEAN, RNNFormat.NCW, DataType.FLOAT,
                WorkspaceMode.ENABLED);
        DataSet data = dataSet(g, DataType.FLOAT);
        assertClose(g.lossMean, net.score(data), 1e-5, g + " score");
        assertClose(g.lossNone, net.scoreExamples(data, false), 1e-5, g + " scoreExamples");
    }

    @Test
    void timeAndLabelWidthMayChangeFromOneMinibatchToTheNext() {
        GoldenCtcCase longer = GoldenCtcCase.named("repeats_tight");   // T = 7, S = 4, C = 4
        GoldenCtcCase shorter = GoldenCtcCase.named("single_frame");   // T = 1, S = 1, C = 4
        MultiLayerNetwork net = CtcTestNets.identityMln(longer, CtcReduction.MEAN, RNNFormat.NCW, DataType.DOUBLE,
                WorkspaceMode.ENABLED);
        for (int round = 0; round < 2; round++) {
            assertClose(longer.lossMean, net.score(dataSet(longer, DataType.DOUBLE)), TOL, "T = 7");
            assertClose(shorter.lossMean, net.score(dataSet(shorter, DataType.DOUBLE)), TOL, "T = 1");
        }
        // Without masks, after a minibatch with masks: every frame and label counts, no stale mask is used.
        DataSet unmasked = new DataSet(longer.inputNcw(DataType.DOUBLE), longer.labels(DataType.DOUBLE));
        net.score(dataSet(longer, DataType.DOUBLE));
        double allFrames = net.score(unmasked);
        assertTrue(allFrames > 0 && Math.abs(allFrames - longer.lossMean) > 1e-3,
                "the second target has 3 of 4 labels; scoring all 4 must differ: " + allFrames);
    }

    @Test
    void regularisationIsAddedToScoresAndPerExampleScores() {
        GoldenCtcCase g = GoldenCtcCase.named("basic");
        double l2 = 0.01;
        MultiLayerNetwork net = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).list()
                .layer(new CtcOutputLayer.Builder().nIn(g.c).nOut(g.c).blankIndex(g.blank).l2(l2).build())
                .build());
        net.init();
        net.getLayer(0).setParam("W", Nd4j.eye(g.c).castTo(DataType.DOUBLE));
        net.getLayer(0).setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, g.c));
        double penalty = 0.5 * l2 * g.c; // DL4J's L2: 0.5 * l2 * sum(W^2), and sum(I^2) = C; no l2 on the bias

        DataSet data = dataSet(g, DataType.DOUBLE);
        assertClose(g.lossMean + penalty, net.score(data), TOL, "score");
        double[] withPenalty = g.lossNone.clone();
        for (int i = 0; i < withPenalty.length; i++) {
            withPenalty[i] += penalty;
        }
        assertClose(withPenalty, net.scoreExamples(data, true), TOL, "scoreExamples with regularisation");
        assertClose(g.lossNone, net.scoreExamples(data, false), TOL, "scoreExamples without regularisation");
    }

    @Test
    void labelsShapedAsTimeSeriesGiveTheSameScore() {
        GoldenCtcCase g = GoldenCtcCase.named("ragged_lengths");
        MultiLayerNetwork net = CtcTestNets.identityMln(g, CtcReduction.MEAN, RNNFormat.NCW, DataType.DOUBLE,
                WorkspaceMode.ENABLED);
        DataSet data = new DataSet(g.inputNcw(DataType.DOUBLE), g.labels(DataType.DOUBLE).reshape(g.n, 1, g.s),
                g.featuresMask(DataType.DOUBLE), g.labelsMask(DataType.DOUBLE));
        assertClose(g.lossMean, net.score(data), TOL, "score with [N, 1, S] labels");
    }

    private static DataSet dataSet(GoldenCtcCase g, DataType type) {
        return new DataSet(g.inputNcw(type), g.labels(type), g.featuresMask(type), g.labelsMask(type));
    }

    private static double expected(GoldenCtcCase g, CtcReduction reduction) {
        return reduction == CtcReduction.MEAN ? g.lossMean : g.lossSum;
    }

    /** {@code [N, C, T]} to one row per frame {@code [N*T, C]}. */
    private static INDArray rowsPerFrame(INDArray ncw) {
        return ncw.permute(0, 2, 1).dup('c').reshape(ncw.size(0) * ncw.size(2), ncw.size(1));
    }

    private static void assertClose(double expected, double actual, double relTol, String what) {
        if (Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
            return;
        }
        assertEquals(expected, actual, relTol * Math.max(1.0, Math.abs(expected)), what);
    }

    private static void assertClose(double[] expected, INDArray actualColumn, double relTol, String what) {
        assertArrayEquals(new long[]{expected.length, 1}, actualColumn.shape(), what + " shape");
        double[] actual = actualColumn.castTo(DataType.DOUBLE).reshape(expected.length).toDoubleVector();
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], relTol, what + "[" + i + "]");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, double absTol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double maxDiff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber()
                .doubleValue();
        assertTrue(maxDiff <= absTol, what + ": max |difference| " + maxDiff);
    }
}
