package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Calls libnd4j's {@code ctc_loss} / {@code ctc_loss_grad} kernels (present in the CPU and CUDA libraries) on
 * inputs shaped so that their known defects cannot show.
 * <p>
 * Defects worked around, measured on M2.1: the kernel replaces the blank by {@code S - 1} when
 * {@code blank > S} (S = padded target width), so the targets handed over are padded to a width above the
 * blank; it truncates targets longer than the input and returns -inf for empty targets, so such samples are
 * never handed over (their target length is passed as 0, which the kernel skips, and {@link CtcLossEngine}
 * computes them). The kernel leaves frames past each input length untouched in the gradient, so the gradient
 * array it writes into is created zero-filled here.
 */
final class LibNd4jCtcKernel {
    private LibNd4jCtcKernel() {
    }

    /** Per-sample negative log-likelihoods {@code [N]}; samples not in {@code onKernel} get -inf. */
    static INDArray losses(INDArray logProbsNtc, CtcBatch batch, boolean[] onKernel) {
        INDArray out = Nd4j.create(logProbsNtc.dataType(), batch.batchSize);
        exec("ctc_loss", logProbsNtc, batch, onKernel, out);
        return out;
    }

    /**
     * {@code exp(logProbs) - posterior}, {@code [N, T, C]}: the gradient of the loss with respect to the logits
     * when {@code logProbs = log_softmax(logits)}. Zero for samples not in {@code onKernel} and past each input
     * length.
     */
    static INDArray gradients(INDArray logProbsNtc, CtcBatch batch, boolean[] onKernel) {
        INDArray out = Nd4j.zeros(logProbsNtc.dataType(), logProbsNtc.shape());
        exec("ctc_loss_grad", logProbsNtc, batch, onKernel, out);
        return out;
    }

    private static void exec(String opName, INDArray logProbsNtc, CtcBatch batch, boolean[] onKernel, INDArray out) {
        int n = batch.batchSize;
        int width = Math.max(batch.maxTargetLength(), batch.blank + 1);
        int[][] targets = new int[n][width];
        int[] targetLengths = new int[n];
        for (int i = 0; i < n; i++) {
            if (onKernel[i]) {
                System.arraycopy(batch.targets[i], 0, targets[i], 0, batch.targetLengths[i]);
                targetLengths[i] = batch.targetLengths[i];
            }
        }
        DynamicCustomOp op = DynamicCustomOp.builder(opName)
                .addInputs(Nd4j.createFromArray(targets), logProbsNtc, Nd4j.createFromArray(targetLengths),
                        Nd4j.createFromArray(batch.inputLengths))
                .addOutputs(out)
                .addIntegerArguments(batch.blank)
                .build();
        Nd4j.exec(op);
    }

    /** The types the kernel computes in; others are computed in FLOAT and cast back. */
    static boolean supports(DataType dataType) {
        return dataType == DataType.FLOAT || dataType == DataType.DOUBLE;
    }
}
