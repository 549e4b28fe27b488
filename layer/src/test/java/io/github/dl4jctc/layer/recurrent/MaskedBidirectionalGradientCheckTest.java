package io.github.dl4jctc.layer.recurrent;

import io.github.dl4jctc.layer.DoublePrecision;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import static io.github.dl4jctc.layer.recurrent.BidirectionalNets.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's {@link GradientCheckUtil} in float64 with ragged features and labels masks (lengths 6, 3, 1, 5 of 6), on two
 * stacked wrappers of 2-unit LSTMs (the lower one's gradients go through the upper one's input gradient).
 */
@ExtendWith(DoublePrecision.class)
class MaskedBidirectionalGradientCheckTest {
    private static final double EPSILON = 1e-6;
    private static final double MAX_REL_ERROR = 1e-4;
    /** Below this, differences are finite-difference roundoff: a score near 14 moved by 1e-10 at epsilon 1e-6. */
    private static final double MIN_ABS_ERROR = 1e-8;

    @ParameterizedTest
    @EnumSource(value = Bidirectional.Mode.class, names = {"CONCAT", "MUL"})
    void multiLayerNetworkNcw(Bidirectional.Mode mode) {
        assertTrue(check(mln(MaskedBidirectional::new, mode, RNNFormat.NCW, 2, 2), RNNFormat.NCW));
    }

    @Test
    void multiLayerNetworkNwc() {
        assertTrue(check(mln(MaskedBidirectional::new, Bidirectional.Mode.ADD, RNNFormat.NWC, 2, 2), RNNFormat.NWC));
    }

    @Test
    void computationGraph() {
        ComputationGraph net = graph(MaskedBidirectional::new, Bidirectional.Mode.AVERAGE, RNNFormat.NCW, 2, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{inputNcw()}).labels(new INDArray[]{labels()})
                .inputMask(new INDArray[]{prefixMask(INPUT_LENGTHS, T)})
                .labelMask(new INDArray[]{prefixMask(TARGET_LENGTHS, S)})
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok);
    }

    private static boolean check(MultiLayerNetwork net, RNNFormat format) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(toFormat(inputNcw(), format)).labels(labels())
                .inputMask(prefixMask(INPUT_LENGTHS, T)).labelMask(prefixMask(TARGET_LENGTHS, S))
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }
}
