package io.github.dl4jctc.zoo.util;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Prefix masks for padded sequences. */
public final class SequenceMasks {

    private SequenceMasks() {
    }

    /**
     * @param lengths each sequence's length, in {@code [0, steps]}
     * @param steps   the padded length T
     * @return {@code [N, T]} floats: 1 for the first {@code lengths[n]} steps of row n, 0 after
     */
    public static INDArray ofLengths(int[] lengths, int steps) {
        float[] mask = new float[lengths.length * steps];
        for (int n = 0; n < lengths.length; n++) {
            if (lengths[n] < 0 || lengths[n] > steps) {
                throw new IllegalArgumentException("lengths[" + n + "]: got " + lengths[n]
                        + ", expected a length in [0, " + steps + "]");
            }
            java.util.Arrays.fill(mask, n * steps, n * steps + lengths[n], 1f);
        }
        return Nd4j.create(mask, new long[]{lengths.length, steps}, 'c');
    }
}
