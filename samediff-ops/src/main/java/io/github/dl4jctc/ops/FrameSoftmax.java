package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The softmax over classes of {@code [N, T, C]} logits as the CPU kernel uses it: each frame's log Z (the
 * recursions run on unnormalised logits) and the softmax half of the logits gradient. Native for large
 * vocabularies ({@link NativeSoftmaxFrames}), in Java for small ones ({@link JavaSoftmaxFrames}).
 */
interface FrameSoftmax {

    /** log Z of frame t of sample n, given one class of the frame and its logit. */
    double logNormaliser(int n, int t, int cls, double logit);

    /**
     * {@code factor[n] * softmax} on valid frames and 0 past them, built in place of the softmax (call once,
     * after the kernel is done reading it).
     */
    INDArray scaled(double[] factor);
}
