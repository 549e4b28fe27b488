package io.github.dl4jctc.zoo.util;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequenceMasksTest {

    @Test
    void onesThenZeros() {
        INDArray mask = SequenceMasks.ofLengths(new int[]{2, 0, 3}, 3);
        assertArrayEquals(new long[]{3, 3}, mask.shape());
        assertArrayEquals(new float[]{1, 1, 0, 0, 0, 0, 1, 1, 1}, mask.data().asFloat(), 0f);
    }

    @Test
    void rejectsLengthsBeyondTheSteps() {
        assertThrows(IllegalArgumentException.class, () -> SequenceMasks.ofLengths(new int[]{4}, 3));
    }
}
