package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's {@link GradientCheckUtil} in float64: the gradient the layer backpropagates (after DL4J's division by the
 * minibatch size) matches finite differences of the score the network reports.
 */
@ExtendWith(DoublePrecision.class)
class CtcOutputLayerGradientCheckTest {
    private static final double EPSILON = 1e-6;
    /** Stricter than DL4J's own recurrent gradient checks (1e-3); below 1e-8 absolute, differences are roundoff. */
    private static final double MAX_REL_ERROR = 1e-4;
    private static final double MIN_ABS_ERROR = 1e-8;

    private static final int N = 3;
    private static final int N_IN = 3;
    private static final int T = 6;
    private static final int C = 5;
    private static final int S = 3;
    /** Non-blank labels without repeats: a target of length L needs only L frames. */
    private static final double[][] LABELS = {{1, 2, 3}, {4, 1, 0}, {2, 4, 0}};
    private static final int[] INPUT_LENGTHS = {6, 4, 5};
    private static final int[] TARGET_LENGTHS = {3, 2, 1};

    @Test
    void lstmThenCtc() {
        MultiLayerNetwork net = mln(new LSTM.Builder().nIn(N_IN).nOut(4).activation(Activation.TANH).build(), 4,
                ctc(4, CtcReduction.MEAN).build(), true);
        assertTrue(check(net, inputNcw(), fullLabels(), null, null));
    }

    @Test
    void bidirectionalLstmThenCtcWithRaggedMasks() {
        MultiLayerNetwork net = mln(bidirectional(RNNFormat.NCW), 6, ctc(6, CtcReduction.MEAN).build(), true);
        assertTrue(check(net, inputNcw(), labels(), featuresMask(), labelsMask()));
    }

    @Test
    void sumReductionWithL2OnWeightsAndBias() {
        MultiLayerNetwork net = mln(lstm(RNNFormat.NCW), 3, ctc(3, CtcReduction.SUM).l2(0.05).l2Bias(0.02).build(),
                true);
        assertTrue(check(net, inputNcw(), labels(), featuresMask(), labelsMask()));
    }

    @Test
    void withoutMinibatchDivision() {
        MultiLayerNetwork net = mln(lstm(RNNFormat.NCW), 3, ctc(3, CtcReduction.MEAN).build(), false);
        assertTrue(check(net, inputNcw(), labels(), featuresMask(), labelsMask()));
    }

    @Test
    void nonZeroBlankIndex() {
        double[][] labels = {{0, 2, 3}, {4, 0, 1}, {2, 0, 1}};
        MultiLayerNetwork net = mln(lstm(RNNFormat.NCW), 3, ctc(3, CtcReduction.MEAN).blankIndex(1).build(), true);
        assertTrue(check(net, inputNcw(), Nd4j.createFromArray(labels), featuresMask(), labelsMask()));
    }

    @Test
    void nwcDataFormatWithRaggedMasks() {
        MultiLayerNetwork net = mln(lstm(RNNFormat.NWC), 3,
                ctc(3, CtcReduction.MEAN).dataFormat(RNNFormat.NWC).build(), true);
        INDArray inputNwc = inputNcw().permute(0, 2, 1).dup('c');
        assertTrue(check(net, inputNwc, labels(), featuresMask(), labelsMask()));
    }

    @Test
    void computationGraphWithBidirectionalLstmAndRaggedMasks() {
        ComputationGraphConfiguration conf = base(true).graphBuilder()
                .addInputs("in")
                .addLayer("bilstm", bidirectional(RNNFormat.NCW), "in")
                .addLayer("ctc", ctc(6, CtcReduction.MEAN).build(), "bilstm")
                .setOutputs("ctc")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{inputNcw()}).labels(new INDArray[]{labels()})
                .inputMask(new INDArray[]{featuresMask()}).labelMask(new INDArray[]{labelsMask()})
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok);
    }

    @Test
    void computationGraphWithFeaturesMaskOnly() {
        // ComputationGraph clears the output layer's labels mask between backprop and score when there is none;
        // the features mask must survive that.
        ComputationGraphConfiguration conf = base(true).graphBuilder()
                .addInputs("in")
                .addLayer("lstm", lstm(RNNFormat.NCW), "in")
                .addLayer("ctc", ctc(3, CtcReduction.MEAN).build(), "lstm")
                .setOutputs("ctc")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{inputNcw()}).labels(new INDArray[]{fullLabels()})
                .inputMask(new INDArray[]{featuresMask()})
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok);
    }

    private static boolean check(MultiLayerNetwork net, INDArray input, INDArray labels, INDArray featuresMask,
                                 INDArray labelsMask) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(input)
                .labels(labels).inputMask(featuresMask).labelMask(labelsMask)
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    private static MultiLayerNetwork mln(org.deeplearning4j.nn.conf.layers.Layer recurrent, int hidden,
                                         CtcOutputLayer ctc, boolean miniBatch) {
        MultiLayerConfiguration conf = base(miniBatch).list().layer(recurrent).layer(ctc).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static NeuralNetConfiguration.Builder base(boolean miniBatch) {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE).updater(new NoOp())
                .miniBatch(miniBatch);
    }

    private static CtcOutputLayer.Builder ctc(int nIn, CtcReduction reduction) {
        return new CtcOutputLayer.Builder().nIn(nIn).nOut(C).reduction(reduction);
    }

    /** 3 units: small enough that checking every parameter stays quick (DL4J's score call dominates the time). */
    private static LSTM lstm(RNNFormat format) {
        return new LSTM.Builder().nIn(N_IN).nOut(3).activation(Activation.TANH).dataFormat(format).build();
    }

    private static Bidirectional bidirectional(RNNFormat format) {
        return new Bidirectional(Bidirectional.Mode.CONCAT, lstm(format));
    }

    private static INDArray inputNcw() {
        Nd4j.getRandom().setSeed(42);
        return Nd4j.rand(DataType.DOUBLE, N, N_IN, T).subi(0.5).muli(2);
    }

    private static INDArray labels() {
        return Nd4j.createFromArray(LABELS);
    }

    /** Labels without padding, for minibatches without labels mask. */
    private static INDArray fullLabels() {
        return Nd4j.createFromArray(new double[][]{{1, 2, 3}, {4, 1, 2}, {2, 4, 1}});
    }

    private static INDArray featuresMask() {
        return GoldenCtcCase.prefixMask(INPUT_LENGTHS, T, DataType.DOUBLE);
    }

    private static INDArray labelsMask() {
        return GoldenCtcCase.prefixMask(TARGET_LENGTHS, S, DataType.DOUBLE);
    }
}
