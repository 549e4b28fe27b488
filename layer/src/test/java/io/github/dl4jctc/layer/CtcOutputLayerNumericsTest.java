package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.Ctc;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.learning.config.Adam;

import static org.deeplearning4j.nn.conf.WorkspaceMode.ENABLED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * The layer with values at the edges: NaN and infinities in its input, labels wider than the time axis, samples
 * that cannot be aligned (with and without zeroInfinity, in training), very peaky logits in float32.
 * <p>
 * Labels wider than the time axis: what decides is the target <em>length</em>, not the padded width S. A labels
 * array may be wider than T (padding, e.g. a fixed width shared by a dataset); the labels mask says which labels
 * are real, and padding never matters. A target whose real length needs more frames than its input has (T, or
 * fewer per the features mask) cannot be aligned: as in PyTorch that is not an error but a loss of +inf (0 with
 * zeroInfinity), one sample at a time, so that one such sample in a long training run can be zeroed rather than
 * stop it.
 */
class CtcOutputLayerNumericsTest {
    /** 3 examples, C = 6, blank 0, T = 12, S = 4. */
    private static final GoldenCtcCase SHAPE = GoldenCtcCase.named("basic");

    /** W = identity, b = 0: the input is the logits. */
    private static MultiLayerNetwork identity() {
        return CtcTestNets.identityMln(SHAPE, CtcReduction.MEAN, RNNFormat.NCW, DataType.DOUBLE, ENABLED);
    }

    private static double[] perExample(MultiLayerNetwork net, DataSet data) {
        return net.scoreExamples(data, false).data().asDouble();
    }

    @Test
    void nanOrInfinityInAValidFrameMakesThatExampleNanAndNothingElse() {
        MultiLayerNetwork net = identity();
        INDArray x = SHAPE.inputNcw(DataType.DOUBLE);
        INDArray labels = SHAPE.labels(DataType.DOUBLE);
        double[] clean = perExample(net, new DataSet(x, labels));
        INDArray outClean = net.output(x);
        for (double poison : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            INDArray poisoned = x.dup();
            poisoned.putScalar(new long[]{1, 2, 5}, poison);    // example 1, class 2, frame 5
            double[] scores = perExample(net, new DataSet(poisoned, labels));
            // through the dense projection even -inf becomes NaN (0 * inf in the other classes' logits)
            assertTrue(Double.isNaN(scores[1]), poison + ": " + java.util.Arrays.toString(scores));
            assertEquals(clean[0], scores[0], 0.0);
            assertEquals(clean[2], scores[2], 0.0);
            double score = net.score(new DataSet(poisoned, labels));
            assertTrue(Double.isNaN(score), poison + ": score " + score);
            INDArray out = net.output(poisoned);
            assertEquals(outClean.get(point(0), all(), all()), out.get(point(0), all(), all()));
            assertTrue(Double.isNaN(out.getDouble(1, 0, 5)), out.toString());
        }
    }

    @Test
    void nanOrInfinityInPaddingFramesChangesNothing() {
        MultiLayerNetwork net = identity();
        INDArray x = SHAPE.inputNcw(DataType.DOUBLE);
        INDArray fm = GoldenCtcCase.prefixMask(new int[]{12, 8, 10}, SHAPE.t, DataType.DOUBLE);
        DataSet clean = new DataSet(x, SHAPE.labels(DataType.DOUBLE), fm, SHAPE.labelsMask(DataType.DOUBLE));
        INDArray garbage = x.dup();
        garbage.get(point(1), all(), interval(8, 12)).assign(Double.NaN);
        garbage.get(point(2), all(), interval(10, 12)).assign(Double.POSITIVE_INFINITY);
        DataSet padded = new DataSet(garbage, clean.getLabels(), fm, clean.getLabelsMaskArray());
        assertArrayEquals(perExample(net, clean), perExample(net, padded));
        assertEquals(net.score(clean), net.score(padded), 0.0);
        INDArray out = net.output(garbage, false, fm, null);
        assertEquals(net.output(x, false, fm, null), out, "padding frames are exactly 0, whatever they held");
        assertEquals(0.0, out.get(point(1), all(), interval(8, 12)).sumNumber().doubleValue(), 0.0);
    }

    @Test
    void labelsWiderThanTheTimeAxisAreFineWhileTheMaskedTargetsFit() {
        MultiLayerNetwork net = identity();
        INDArray x = SHAPE.inputNcw(DataType.DOUBLE);
        int wide = SHAPE.t + 5;
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, SHAPE.n, wide);
        labels.get(all(), interval(0, SHAPE.s)).assign(SHAPE.labels(DataType.DOUBLE));
        labels.get(all(), interval(SHAPE.s, wide)).assign(3);    // padding: any value
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, SHAPE.n, wide);
        mask.get(all(), interval(0, SHAPE.s)).assign(SHAPE.labelsMask(DataType.DOUBLE));
        DataSet narrow = new DataSet(x, SHAPE.labels(DataType.DOUBLE), null, SHAPE.labelsMask(DataType.DOUBLE));
        DataSet widened = new DataSet(x, labels, null, mask);
        assertArrayEquals(perExample(net, narrow), perExample(net, widened));
        assertEquals(net.score(narrow), net.score(widened), 0.0);
    }

    @Test
    void aTargetLongerThanItsInputIsInfiniteForThatExampleOnlyAndZeroWithZeroInfinity() {
        INDArray x = SHAPE.inputNcw(DataType.DOUBLE);
        int[] inputLengths = {12, 3, 12};   // example 1 has 4 labels but 3 frames
        INDArray fm = GoldenCtcCase.prefixMask(inputLengths, SHAPE.t, DataType.DOUBLE);
        DataSet data = new DataSet(x, SHAPE.labels(DataType.DOUBLE), fm, null);
        DataSet feasible = new DataSet(x, SHAPE.labels(DataType.DOUBLE), null, null);

        MultiLayerNetwork plain = identity();
        double[] scores = perExample(plain, data);
        double[] reference = perExample(plain, feasible);
        assertEquals(Double.POSITIVE_INFINITY, scores[1]);
        assertEquals(reference[0], scores[0], 0.0);
        assertEquals(reference[2], scores[2], 0.0);
        assertEquals(Double.POSITIVE_INFINITY, plain.score(data));

        MultiLayerNetwork withZeroInfinity = zeroInfinityCopyOf(plain);
        double[] zeroedScores = perExample(withZeroInfinity, data);
        assertEquals(0.0, zeroedScores[1], 0.0);
        assertEquals(reference[0], zeroedScores[0], 0.0);
        // MEAN over the batch: the infeasible example counts as 0 and still counts in N
        double expected = (reference[0] / 4 + reference[2] / 4) / 3;
        assertEquals(expected, withZeroInfinity.score(data), 1e-12 * expected);
    }

    @Test
    void labelsWiderThanTheTimeAxisWithoutMaskCannotBeAligned() {
        INDArray x = SHAPE.inputNcw(DataType.DOUBLE);
        INDArray labels = Nd4j.ones(DataType.DOUBLE, SHAPE.n, SHAPE.t + 1);   // every example: 13 labels, 12 frames
        DataSet data = new DataSet(x, labels);
        MultiLayerNetwork plain = identity();
        for (double s : perExample(plain, data)) assertEquals(Double.POSITIVE_INFINITY, s);
        MultiLayerNetwork zeroed = zeroInfinityCopyOf(plain);
        for (double s : perExample(zeroed, data)) assertEquals(0.0, s, 0.0);
        assertEquals(0.0, zeroed.score(data), 0.0);
    }

    @Test
    void trainingWithUnalignableSamplesAndZeroInfinityKeepsEveryParameterFinite() {
        MultiLayerNetwork net = lstmCtc(true, WorkspaceMode.ENABLED);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 10);
        INDArray labels = Nd4j.createFromArray(new float[][]{{1, 2, 3, 1}, {2, 2, 2, 2}, {3, 1, 0, 0}, {4, 4, 0, 0}});
        INDArray lm = GoldenCtcCase.prefixMask(new int[]{4, 4, 2, 2}, 4, DataType.FLOAT);
        // example 1 needs 7 frames (4 labels, 3 repeats) but has 5; example 3 needs 3 and has 2
        INDArray fm = GoldenCtcCase.prefixMask(new int[]{10, 5, 10, 2}, 10, DataType.FLOAT);
        DataSet data = new DataSet(x, labels, fm, lm);
        double first = net.score(data);
        for (int i = 0; i < 60; i++) {
            net.fit(data);
            assertFalse(BooleanIndexing.or(net.params(), Conditions.isNan())
                    || BooleanIndexing.or(net.params(), Conditions.isInfinite()), "iteration " + i);
            assertTrue(Double.isFinite(net.score()), "iteration " + i + " score " + net.score());
        }
        double[] examples = perExample(net, data);
        assertEquals(0.0, examples[1], 0.0);
        assertEquals(0.0, examples[3], 0.0);
        assertTrue(net.score(data) < 0.8 * first, first + " -> " + net.score(data));

        // a minibatch where nothing can be aligned: zero gradient, so Adam leaves a fresh network exactly as it was
        MultiLayerNetwork fresh = lstmCtc(true, WorkspaceMode.NONE);
        INDArray before = fresh.params().dup();
        DataSet hopeless = new DataSet(x, labels, GoldenCtcCase.prefixMask(new int[]{1, 1, 1, 1}, 10,
                DataType.FLOAT), lm);
        fresh.fit(hopeless);
        assertEquals(0.0, fresh.score(), 0.0);
        assertEquals(before, fresh.params());
    }

    @Test
    void float32ScoreOfVeryPeakyLogitsIsFiniteAndMatchesTheOp() {
        // Logits of scale 50: many classes more than 103 below their frame's best, where float32 log(softmax)
        // underflows to -inf (ND4J's LogSoftMax op did: the score came out +inf while training saw a finite loss).
        MultiLayerNetwork net = CtcTestNets.identityMln(SHAPE, CtcReduction.SUM, RNNFormat.NCW, DataType.FLOAT,
                ENABLED);
        Nd4j.getRandom().setSeed(50);
        INDArray logitsNtc = Nd4j.randn(DataType.FLOAT, SHAPE.n, SHAPE.t, SHAPE.c).muli(50);
        INDArray x = logitsNtc.permute(0, 2, 1).dup('c');
        DataSet data = new DataSet(x, SHAPE.labels(DataType.FLOAT));
        double score = net.score(data);
        double[] examples = perExample(net, data);
        CtcOptions sum = CtcOptions.builder().reduction(CtcReduction.SUM).layout(CtcLayout.NTC).build();
        double expected = Ctc.lossAndGradientFromLogits(logitsNtc.castTo(DataType.DOUBLE),
                SHAPE.labels(DataType.DOUBLE), Nd4j.createFromArray(12, 12, 12), Nd4j.createFromArray(4, 4, 4), sum)
                .loss().getDouble(0);
        assertTrue(Double.isFinite(expected) && expected > 1000, "the case must be peaky: " + expected);
        assertEquals(expected, score, 1e-5 * expected);
        assertEquals(expected, java.util.Arrays.stream(examples).sum(), 1e-5 * expected);
        net.fit(data);
        assertEquals(expected, net.score(), 1e-5 * expected, "the training score");
    }

    /** The same network with zeroInfinity(true). */
    private static MultiLayerNetwork zeroInfinityCopyOf(MultiLayerNetwork net) {
        CtcOutputLayer layer = CtcTestNets.identityLayer(SHAPE, CtcReduction.MEAN, RNNFormat.NCW);
        CtcOutputLayer zeroed = new CtcOutputLayer.Builder().nIn(layer.getNIn()).nOut(layer.getNOut())
                .blankIndex(layer.getBlankIndex()).reduction(CtcReduction.MEAN).zeroInfinity(true)
                .dataFormat(RNNFormat.NCW).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(zeroed).build();
        MultiLayerNetwork copy = new MultiLayerNetwork(conf);
        copy.init();
        copy.setParams(net.params().dup());
        return copy;
    }

    private static MultiLayerNetwork lstmCtc(boolean zeroInfinity, WorkspaceMode workspaceMode) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(11)
                .updater(new Adam(0.05)).trainingWorkspaceMode(workspaceMode).inferenceWorkspaceMode(workspaceMode)
                .list()
                .layer(new LSTM.Builder().nIn(3).nOut(8).build())
                .layer(new CtcOutputLayer.Builder().nIn(8).nOut(5).zeroInfinity(zeroInfinity).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
