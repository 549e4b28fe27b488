package io.github.dl4jctc.layer.recurrent;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.github.dl4jctc.layer.recurrent.BidirectionalNets.*;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskedBidirectionalBadInputTest {

    @Test
    void layersItCannotServeAreRefusedAtConfiguration() {
        LSTM lstm = new LSTM.Builder().nIn(3).nOut(4).build();
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new MaskedBidirectional(new DenseLayer.Builder().nIn(3).nOut(4).build())), "layer: got");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new MaskedBidirectional(new GravesBidirectionalLSTM.Builder().nIn(3).nOut(4).build())),
                "GravesBidirectionalLSTM");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new MaskedBidirectional(new LastTimeStep(lstm))), "LastTimeStep");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new MaskedBidirectional(null)),
                "layer: got null");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new MaskedBidirectional(null, lstm)),
                "mode: got null");
    }

    @Test
    void maskWithAOneAfterAZeroIsRefused() {
        MultiLayerNetwork net = mln(MaskedBidirectional::new, Bidirectional.Mode.CONCAT, RNNFormat.NCW);
        INDArray mask = prefixMask(INPUT_LENGTHS, T);
        mask.putScalar(1, 4, 1.0);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> net.output(inputNcw(), false, mask, null)),
                "featuresMask: got 1.0 at [1, 4]");
    }

    @Test
    void maskWithValuesOtherThanZeroAndOneIsRefused() {
        MultiLayerNetwork net = mln(MaskedBidirectional::new, Bidirectional.Mode.CONCAT, RNNFormat.NCW);
        INDArray mask = prefixMask(INPUT_LENGTHS, T);
        mask.putScalar(0, 2, 0.5);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> net.output(inputNcw(), false, mask, null)),
                "featuresMask: got 0.5 at [0, 2]");
    }

    @Test
    void maskOfTheWrongShapeIsRefused() {
        MultiLayerNetwork net = mln(MaskedBidirectional::new, Bidirectional.Mode.CONCAT, RNNFormat.NCW);
        INDArray longer = prefixMask(INPUT_LENGTHS, T + 1);
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> net.output(inputNcw(), false, longer, null)), "featuresMask: got shape [4, 7]");
        INDArray fewerRows = prefixMask(new int[]{6, 3}, T);
        assertThrows(IllegalArgumentException.class, () -> net.output(inputNcw(), false, fewerRows, null));
        INDArray rank3 = Nd4j.ones(DataType.DOUBLE, N, 1, T);
        assertThrows(IllegalArgumentException.class, () -> net.output(inputNcw(), false, rank3, null));
    }

    private static void assertMessage(IllegalArgumentException e, String expected) {
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
