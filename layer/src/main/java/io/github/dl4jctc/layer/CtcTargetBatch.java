package io.github.dl4jctc.layer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * One minibatch's CTC targets and lengths, built from DL4J's labels, labels mask and features mask and checked
 * before they reach the op, so that errors speak of labels and masks rather than of the op's arguments.
 * <p>
 * {@link #targets()} is {@code [N, S]} int32 with each target's labels first and 0 past its length (PyTorch ignores
 * the padding; writing 0 there keeps arbitrary padding values such as -1 or NaN away from the op);
 * {@link #inputLengths()} and {@link #targetLengths()} are {@code [N]} int32.
 */
final class CtcTargetBatch {
    private final INDArray targets;
    private final INDArray inputLengths;
    private final INDArray targetLengths;

    private CtcTargetBatch(INDArray targets, INDArray inputLengths, INDArray targetLengths) {
        this.targets = targets;
        this.inputLengths = inputLengths;
        this.targetLengths = targetLengths;
    }

    /**
     * @param labels       class indices {@code [N, S]} or {@code [N, 1, S]}, any numeric type
     * @param labelsMask   {@code [N, S]} 1s then 0s, or null for "every target has S labels"
     * @param featuresMask {@code [N, T]} 1s then 0s, or null for "every input has T frames"
     * @param n            minibatch size of the layer input
     * @param t            number of frames of the layer input
     * @param numClasses   number of classes C, the blank included
     * @param blank        index of the blank class
     * @param where        suffix naming the layer in messages
     * @throws IllegalArgumentException for a label or mask of the wrong shape, a mask that is not 1s then 0s, or
     *                                  a label (within its target length) that is not an integer in [0, C) or is
     *                                  the blank
     */
    static CtcTargetBatch of(INDArray labels, INDArray labelsMask, INDArray featuresMask, long n, long t,
                             long numClasses, int blank, String where) {
        String suffix = " " + where;
        int s = (int) LabelArrays.width(labels, n, suffix);
        int[][] sequences = LabelArrays.toSequences(labels, labelsMask, "labels mask", n, numClasses, blank, suffix);
        int[] inputLengths = inputLengths(featuresMask, n, t, where);
        int[][] targets = new int[(int) n][];
        int[] targetLengths = new int[(int) n];
        for (int i = 0; i < n; i++) {
            targets[i] = Arrays.copyOf(sequences[i], s);   // 0 past the target's length
            targetLengths[i] = sequences[i].length;
        }
        return new CtcTargetBatch(int2d(targets, n, s), Nd4j.createFromArray(inputLengths),
                Nd4j.createFromArray(targetLengths));
    }

    INDArray targets() {
        return targets;
    }

    INDArray inputLengths() {
        return inputLengths;
    }

    INDArray targetLengths() {
        return targetLengths;
    }

    /**
     * The input lengths of a features mask, for callers that only apply it ({@code output}): checked by the same
     * rules as for training (shape {@code [N, T]}, 1s then 0s), so that a mask the loss would refuse never scales
     * probabilities silently.
     */
    static int[] inputLengths(INDArray featuresMask, long n, long t, String where) {
        return CtcMasks.prefixLengths(featuresMask, "features mask", "[N, T], one entry per frame", n, t,
                " " + where);
    }

    private static INDArray int2d(int[][] values, long n, int s) {
        if (s == 0) {
            return Nd4j.create(DataType.INT, n, 0);
        }
        return Nd4j.createFromArray(values);
    }
}
