package io.github.dl4jctc.layer.recurrent;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.github.dl4jctc.layer.recurrent.BidirectionalNets.*;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FusedBidirectionalLstmBadInputTest {

    @Test
    void builderRefusesWhatTheLayerCannotCompute() {
        assertMessage(() -> new FusedBidirectionalLstm.Builder().nIn(3).build(), "nOut: got 0");
        assertMessage(() -> new FusedBidirectionalLstm.Builder().nOut(0), "nOut: got 0");
        assertMessage(() -> new FusedBidirectionalLstm.Builder().nIn(-1), "nIn: got -1");
        assertMessage(() -> new FusedBidirectionalLstm.Builder().activation(Activation.RELU),
                "activation: got RELU, expected TANH or SOFTSIGN");
        assertMessage(() -> new FusedBidirectionalLstm.Builder().mode(null), "mode: got null");
        assertMessage(() -> new FusedBidirectionalLstm.Builder().dataFormat(null), "dataFormat: got null");
    }

    @Test
    void nonRecurrentInputTypeIsRefused() {
        FusedBidirectionalLstm layer = new FusedBidirectionalLstm.Builder().nOut(4).build();
        assertMessage(() -> layer.setNIn(InputType.feedForward(3), true), "inputType: got");
        assertMessage(() -> layer.getOutputType(0, InputType.feedForward(3)), "expected a recurrent input type");
    }

    @Test
    void masksThatAreNotOnesThenZerosAreRefused() {
        for (BidirectionalNets.Wrapper way : new BidirectionalNets.Wrapper[]{FUSED, FUSED_OP_SEQ_LEN}) {
            MultiLayerNetwork net = mln(way, Bidirectional.Mode.CONCAT, RNNFormat.NCW);
            INDArray gap = prefixMask(INPUT_LENGTHS, T);
            gap.putScalar(1, 4, 1.0);
            assertMessage(() -> net.output(inputNcw(), false, gap, null), "featuresMask: got 1.0 at [1, 4]");
            INDArray half = prefixMask(INPUT_LENGTHS, T);
            half.putScalar(0, 2, 0.5);
            assertMessage(() -> net.output(inputNcw(), false, half, null), "featuresMask: got 0.5 at [0, 2]");
        }
    }

    @Test
    void masksAndInputsOfTheWrongShapeAreRefused() {
        MultiLayerNetwork net = mln(FUSED, Bidirectional.Mode.CONCAT, RNNFormat.NCW);
        assertMessage(() -> net.output(inputNcw(), false, prefixMask(INPUT_LENGTHS, T + 1), null),
                "featuresMask: got shape [4, 7]");
        assertMessage(() -> net.output(inputNcw(), false, prefixMask(new int[]{6, 3}, T), null),
                "featuresMask: got shape [2, 6], expected [N, T] = [4, 6]");
        assertMessage(() -> net.output(inputNcw(), false, Nd4j.ones(DataType.DOUBLE, N, 1, T), null),
                "featuresMask: got shape [4, 1, 6]");
        assertMessage(() -> net.output(Nd4j.rand(DataType.DOUBLE, N, N_IN + 2, T)), "input: got shape [4, 5, 6]");
    }

    private static void assertMessage(Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
