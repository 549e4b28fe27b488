package io.github.dl4jctc.zoo.ocr;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnsToSequencePreProcessorTest {

    private final ColumnsToSequencePreProcessor preProcessor = new ColumnsToSequencePreProcessor(3, 2);
    private final LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();

    @Test
    void eachColumnBecomesOneTimeStepWithChannelMajorFeatures() {
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 3, 2, 5);
        INDArray sequence = preProcessor.preProcess(input, 2, noWorkspaces);
        assertArrayEquals(new long[]{2, 6, 5}, sequence.shape());
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 2; h++) {
                    for (int w = 0; w < 5; w++) {
                        assertEquals(input.getFloat(n, c, h, w), sequence.getFloat(n, c * 2 + h, w));
                    }
                }
            }
        }
    }

    @Test
    void backpropIsTheInverseReshapeAndWorksOnNonContiguousInput() {
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, 5, 6, 2).permute(2, 1, 0);   // [2, 6, 5], not c-contiguous
        INDArray image = preProcessor.backprop(epsilon, 2, noWorkspaces);
        assertArrayEquals(new long[]{2, 3, 2, 5}, image.shape());
        assertEquals(epsilon.getFloat(1, 2 * 2 + 1, 4), image.getFloat(1, 2, 1, 4));
        INDArray permutedInput = Nd4j.rand(DataType.FLOAT, 2, 2, 5, 3).permute(0, 3, 1, 2);
        assertEquals(permutedInput.getFloat(0, 1, 0, 3),
                preProcessor.preProcess(permutedInput, 2, noWorkspaces).getFloat(0, 2, 3));
    }

    @Test
    void cnnMaskBecomesASequenceMask() {
        INDArray mask = Nd4j.createFromArray(new float[]{1, 1, 1, 0, 1, 1, 1, 1}).reshape(2, 1, 1, 4);
        Pair<INDArray, MaskState> out = preProcessor.feedForwardMaskArray(mask, MaskState.Active, 2);
        assertArrayEquals(new long[]{2, 4}, out.getFirst().shape());
        assertArrayEquals(new float[]{1, 1, 1, 0, 1, 1, 1, 1}, out.getFirst().data().asFloat(), 0f);
        assertEquals(MaskState.Active, out.getSecond());
    }

    @Test
    void outputTypeIsARecurrentSequenceOfColumnVectors() {
        InputType out = preProcessor.getOutputType(InputType.convolutional(2, 40, 3));
        assertEquals(InputType.recurrent(6, 40), out);
    }

    @Test
    void rejectsInputOfAnotherShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> preProcessor.preProcess(Nd4j.rand(DataType.FLOAT, 2, 4, 2, 5), 2, noWorkspaces));
        assertTrue(e.getMessage().contains("[2, 4, 2, 5]"), e.getMessage());
    }
}
