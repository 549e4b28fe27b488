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
                throw new IllegalArgumentException("lengths[" + n + "] must be in [0, " + steps + "], got "
                        + lengths[n]);
            }
            java.util.Arrays.fill(mask, n * steps, n * steps + lengths[n], 1f);
        }
        return Nd4j.create(mask, new long[]{lengths.length, steps}, 'c');
    }

    /**
     * The frames a CTC output layer actually used: it zeroes the probabilities of masked frames, and a softmax frame
     * never sums to 0, so each sample's frames are those up to its last frame with a non-zero sum.
     *
     * @param probabilities {@code [N, C, T]} output of a CTC output layer
     * @return {@code [N, T]} prefix mask
     */
    public static INDArray ofUsedFrames(INDArray probabilities) {
        if (probabilities.rank() != 3) {
            throw new IllegalArgumentException("probabilities must be [N, C, T], got rank " + probabilities.rank());
        }
        int n = (int) probabilities.size(0);
        int steps = (int) probabilities.size(2);
        float[][] frameSums = probabilities.sum(1).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).toFloatMatrix();
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            for (int t = steps - 1; t >= 0; t--) {
                if (frameSums[i][t] > 0) {
                    lengths[i] = t + 1;
                    break;
                }
            }
        }
        return ofLengths(lengths, steps);
    }
}
