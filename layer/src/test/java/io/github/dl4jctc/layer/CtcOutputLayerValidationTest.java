package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad labels and masks fail in the layer with messages about labels and masks, before the op sees them. */
class CtcOutputLayerValidationTest {
    /** 3 examples, C = 6 classes, blank 0, T = 12 frames, S = 4 labels. */
    private static final GoldenCtcCase SHAPE = GoldenCtcCase.named("basic");

    private final MultiLayerNetwork net = CtcTestNets.identityMln(SHAPE, CtcReduction.MEAN, RNNFormat.NCW,
            DataType.FLOAT, WorkspaceMode.ENABLED);
    private final INDArray input = SHAPE.inputNcw(DataType.FLOAT);
    private final INDArray goodLabels = SHAPE.labels(DataType.FLOAT);

    @Test
    void blankLabelIsRefused() {
        INDArray labels = goodLabels.dup();
        labels.putScalar(1, 2, SHAPE.blank);
        assertRefused(new DataSet(input, labels), "labels", "example 1, position 2", "blank");
    }

    @Test
    void labelOutsideTheClassesIsRefused() {
        INDArray labels = goodLabels.dup();
        labels.putScalar(0, 1, SHAPE.c);
        assertRefused(new DataSet(input, labels), "labels", "example 0, position 1", "got " + (double) SHAPE.c);
        labels.putScalar(0, 1, -1);
        assertRefused(new DataSet(input, labels), "labels", "got -1.0");
    }

    @Test
    void fractionalLabelIsRefused() {
        INDArray labels = goodLabels.dup();
        labels.putScalar(2, 0, 1.5);
        assertRefused(new DataSet(input, labels), "labels", "example 2, position 0", "1.5");
    }

    @Test
    void labelsOfTheWrongShapeAreRefused() {
        assertRefused(new DataSet(input, goodLabels.reshape(SHAPE.n, 2, SHAPE.s / 2)), "labels", "[N, S]");
        INDArray twoExamples = goodLabels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        assertRefused(new DataSet(input, twoExamples), "labels", "N = " + SHAPE.n);
    }

    @Test
    void labelsMaskThatIsNotOnesThenZerosIsRefused() {
        INDArray mask = Nd4j.ones(DataType.FLOAT, SHAPE.n, SHAPE.s);
        mask.putScalar(1, 1, 0.0);
        assertRefused(new DataSet(input, goodLabels, null, mask), "labels mask", "example 1", "1s followed by 0s");
    }

    @Test
    void labelsMaskWithValuesOtherThanZeroAndOneIsRefused() {
        INDArray mask = Nd4j.ones(DataType.FLOAT, SHAPE.n, SHAPE.s);
        mask.putScalar(0, SHAPE.s - 1, 0.5);
        assertRefused(new DataSet(input, goodLabels, null, mask), "labels mask", "example 0", "0.5");
    }

    @Test
    void labelsMaskOfTheWrongShapeIsRefused() {
        INDArray perFrame = Nd4j.ones(DataType.FLOAT, SHAPE.n, SHAPE.t);
        assertRefused(new DataSet(input, goodLabels, null, perFrame), "labels mask",
                "[" + SHAPE.n + ", " + SHAPE.t + "]", "[N, S]");
    }

    @Test
    void featuresMaskThatIsNotOnesThenZerosIsRefused() {
        INDArray mask = Nd4j.ones(DataType.FLOAT, SHAPE.n, SHAPE.t);
        mask.putScalar(2, 0, 0.0);
        assertRefused(new DataSet(input, goodLabels, mask, null), "features mask", "example 2");
    }

    @Test
    void layerIsNamedInTheMessage() {
        INDArray labels = goodLabels.dup();
        labels.putScalar(0, 0, SHAPE.blank);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.scoreExamples(new DataSet(input, labels), false));
        assertTrue(e.getMessage().contains("layer index: 0"), e.getMessage());
    }

    @Test
    void checksApplyToTrainingToo() {
        INDArray labels = goodLabels.dup();
        labels.putScalar(0, 0, SHAPE.blank);
        INDArray paramsBefore = net.params().dup();
        assertThrows(IllegalArgumentException.class, () -> net.fit(new DataSet(input, labels)));
        assertEquals(paramsBefore, net.params());
    }

    private void assertRefused(DataSet data, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.score(data));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing from: " + e.getMessage());
        }
    }
}
