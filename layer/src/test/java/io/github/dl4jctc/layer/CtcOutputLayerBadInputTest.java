package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every malformed minibatch is refused by fit, score and scoreExamples of a MultiLayerNetwork and a
 * ComputationGraph, with an IllegalArgumentException naming the labels or mask, the value and what was expected;
 * the parameters are untouched, and valid calls afterwards (score with masks, output without) give the same bits as
 * before: a refused call leaves none of its masks behind in the layer.
 */
class CtcOutputLayerBadInputTest {
    /** 3 examples, C = 6 classes, blank 0, T = 12 frames, S = 4 labels. */
    private static final GoldenCtcCase SHAPE = GoldenCtcCase.named("basic");
    private static final INDArray X = SHAPE.inputNcw(DataType.FLOAT);
    private static final INDArray LABELS = SHAPE.labels(DataType.FLOAT);

    static List<Arguments> badMinibatches() {
        List<Arguments> out = new ArrayList<>();
        INDArray fm = GoldenCtcCase.prefixMask(new int[]{12, 9, 10}, SHAPE.t, DataType.FLOAT);
        INDArray lm = GoldenCtcCase.prefixMask(new int[]{4, 3, 2}, SHAPE.s, DataType.FLOAT);
        bad(out, "blank label", label(1, 2, 0), fm, lm, "labels", "example 1, position 2", "got 0.0", "blank");
        bad(out, "label = C", label(0, 1, SHAPE.c), fm, lm, "labels", "got 6.0", "[0, 6)");
        bad(out, "negative label", label(2, 0, -1), fm, lm, "labels", "got -1.0");
        bad(out, "label Integer.MAX_VALUE", label(0, 0, Integer.MAX_VALUE), fm, lm, "labels", "2.147483648E9");
        bad(out, "label NaN", label(0, 3, Double.NaN), fm, lm, "labels", "example 0, position 3", "NaN");
        bad(out, "label +inf", label(1, 0, Double.POSITIVE_INFINITY), fm, lm, "labels", "Infinity");
        bad(out, "label 1.5", label(2, 1, 1.5), fm, lm, "labels", "1.5");
        bad(out, "boolean labels", Nd4j.ones(DataType.BOOL, SHAPE.n, SHAPE.s), fm, lm, "labels", "BOOL");
        bad(out, "labels [N, 2, S/2]", LABELS.reshape(SHAPE.n, 2, SHAPE.s / 2), fm, lm, "labels", "[3, 2, 2]",
                "[N, S] or [N, 1, S]");
        bad(out, "labels of 2 examples", LABELS.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)).dup(),
                fm, lm, "labels", "N = 3");
        bad(out, "labels mask [N, T]", LABELS, fm, Nd4j.ones(DataType.FLOAT, SHAPE.n, SHAPE.t), "labels mask",
                "[3, 12]", "[N, S]");
        bad(out, "labels mask not a prefix", LABELS, fm,
                Nd4j.createFromArray(new float[][]{{1, 1, 1, 1}, {1, 0, 1, 0}, {1, 1, 0, 0}}), "labels mask",
                "example 1", "1s followed by 0s");
        bad(out, "labels mask 0.5", LABELS, fm,
                Nd4j.createFromArray(new float[][]{{1, 1, 1, 1}, {1, 1, 0.5f, 0}, {1, 1, 0, 0}}), "labels mask",
                "0.5");
        bad(out, "features mask not a prefix", LABELS,
                Nd4j.ones(DataType.FLOAT, SHAPE.n, SHAPE.t).putScalar(2, 3, 0.0), lm, "features mask", "example 2");
        bad(out, "features mask [N, T - 1]", LABELS, Nd4j.ones(DataType.FLOAT, SHAPE.n, SHAPE.t - 1), lm,
                "features mask", "[3, 11]", "[3, 12]");
        return out;
    }

    private static void bad(List<Arguments> out, String what, INDArray labels, INDArray fm, INDArray lm,
                            String... mustMention) {
        out.add(Arguments.of(what, new DataSet(X, labels, fm, lm), mustMention));
    }

    private static INDArray label(int example, int position, double value) {
        INDArray labels = LABELS.dup();
        labels.putScalar(example, position, value);
        return labels;
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(7).updater(new Sgd(0.1));
    }

    private static CtcOutputLayer layer() {
        return new CtcOutputLayer.Builder().nIn(SHAPE.c).nOut(SHAPE.c).reduction(CtcReduction.MEAN)
                .dataFormat(RNNFormat.NCW).build();
    }

    static MultiLayerNetwork mln() {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list().layer(layer()).build());
        net.init();
        return net;
    }

    static ComputationGraph graph() {
        ComputationGraph net = new ComputationGraph(base().graphBuilder().addInputs("in")
                .addLayer("ctc", layer(), "in").setOutputs("ctc").build());
        net.init();
        return net;
    }

    /** score with masks and output without, as bits: what must not change. */
    private static double[] observe(Model net, DataSet good) {
        INDArray output = net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).output(X)
                : ((ComputationGraph) net).outputSingle(X);
        double score = net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).score(good)
                : ((ComputationGraph) net).score(good);
        double[] out = output.castTo(DataType.DOUBLE).dup().data().asDouble();
        double[] all = java.util.Arrays.copyOf(out, out.length + 1);
        all[out.length] = score;
        return all;
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)   // INDArrays are AutoCloseable
    @MethodSource("badMinibatches")
    void multiLayerNetworkRefusesAndForgets(String what, DataSet bad, String[] mustMention) {
        MultiLayerNetwork net = mln();
        DataSet good = new DataSet(X, LABELS, SHAPE.featuresMask(DataType.FLOAT), SHAPE.labelsMask(DataType.FLOAT));
        double[] before = observe(net, good);
        INDArray params = net.params().dup();
        refused(() -> net.fit(bad), mustMention);
        assertEquals(params, net.params(), "a refused fit changes nothing");
        refused(() -> net.score(bad), mustMention);
        refused(() -> net.scoreExamples(bad, true), mustMention);
        assertArrayEquals(before, observe(net, good));
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)   // INDArrays are AutoCloseable
    @MethodSource("badMinibatches")
    void computationGraphRefusesAndForgets(String what, DataSet bad, String[] mustMention) {
        ComputationGraph net = graph();
        DataSet good = new DataSet(X, LABELS, SHAPE.featuresMask(DataType.FLOAT), SHAPE.labelsMask(DataType.FLOAT));
        double[] before = observe(net, good);
        INDArray params = net.params().dup();
        refused(() -> net.fit(bad), mustMention);
        assertEquals(params, net.params(), "a refused fit changes nothing");
        refused(() -> net.score(bad), mustMention);
        refused(() -> net.scoreExamples(bad, true), mustMention);
        assertArrayEquals(before, observe(net, good));
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)   // INDArrays are AutoCloseable
    @MethodSource("badFeaturesMasks")
    void outputRefusesAFeaturesMaskTheLossWouldRefuse(String what, INDArray mask, String[] mustMention) {
        MultiLayerNetwork net = mln();
        INDArray before = net.output(X);
        refused(() -> net.output(X, false, mask, null), mustMention);
        assertEquals(before, net.output(X));
        ComputationGraph graph = graph();
        INDArray graphBefore = graph.outputSingle(X);
        refused(() -> graph.output(false, new INDArray[]{X}, new INDArray[]{mask}), mustMention);
        assertEquals(graphBefore, graph.outputSingle(X));
    }

    static List<Arguments> badFeaturesMasks() {
        INDArray half = Nd4j.ones(DataType.FLOAT, SHAPE.n, SHAPE.t);
        half.putScalar(1, 11, 0.5);
        INDArray hole = Nd4j.ones(DataType.FLOAT, SHAPE.n, SHAPE.t);
        hole.putScalar(0, 4, 0.0);
        return List.of(
                Arguments.of("0.5", half, new String[]{"features mask", "example 1", "0.5"}),
                Arguments.of("a 0 before a 1", hole, new String[]{"features mask", "example 0", "1s followed by 0s"}),
                Arguments.of("[N, T + 1]", Nd4j.ones(DataType.FLOAT, SHAPE.n, SHAPE.t + 1),
                        new String[]{"features mask", "[3, 13]", "[3, 12]"}));
    }

    private static void refused(Executable call, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String s : mustMention) {
            assertTrue(e.getMessage().contains(s), "message '" + e.getMessage() + "' should mention '" + s + "'");
        }
    }
}
