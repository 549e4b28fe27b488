package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The scores of one call in the kernels' layout, {@code [N, T, C]} packed in c order (FLOAT or DOUBLE), and
 * their softmax over classes when they are logits, computed once: the CPU kernel reads log Z from it and the
 * logits gradient is built in it.
 */
final class NtcScores {
    final INDArray values;
    final boolean logits;
    private INDArray softmax;

    NtcScores(INDArray values, boolean logits) {
        this.values = values;
        this.logits = logits;
    }

    /** softmax(values) over the class axis (a fresh array the caller may overwrite once the kernel has run). */
    INDArray softmax() {
        if (softmax == null) {
            // ND4J's softmax op is several times faster here than its log_softmax or logsumexp ops.
            softmax = Nd4j.exec(new SoftMax(values, 2))[0];
        }
        return softmax;
    }
}
