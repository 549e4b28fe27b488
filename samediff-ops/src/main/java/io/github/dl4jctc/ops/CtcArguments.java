package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.IntConsumer;

/**
 * The integer arguments of a CTC call after exactly {@link Ctc#loss}'s validation, for other algorithms over the
 * same arguments (forced alignment in the layer module), so that they accept and refuse the same inputs.
 * <p>
 * Checked: ranks and layout ({@code [T, N, C]} or {@code [N, T, C]}), a floating-point score type, blank in
 * {@code [0, C)}, padded {@code [N, S]} or concatenated targets, whole-number lengths in range, labels in
 * {@code [0, C)} other than the blank. Not checked: the score values themselves.
 */
public final class CtcArguments {
    private final CtcBatch batch;

    private CtcArguments(CtcBatch batch) {
        this.batch = batch;
    }

    /**
     * @param scores     {@code [T, N, C]} or {@code [N, T, C]} per {@code options.layout()}
     * @param scoresName the argument name used in error messages (e.g. "logProbs")
     * @throws IllegalArgumentException naming the argument, as {@link Ctc#loss} does
     */
    public static CtcArguments validate(INDArray scores, INDArray targets, INDArray inputLengths,
                                        INDArray targetLengths, CtcOptions options, String scoresName) {
        return new CtcArguments(CtcInputValidator.validate(scores, targets, inputLengths, targetLengths, options,
                scoresName));
    }

    /** @return N */
    public int batchSize() {
        return batch.batchSize;
    }

    /** @return T, the padded number of frames */
    public int maxTime() {
        return batch.maxTime;
    }

    /** @return C */
    public int numClasses() {
        return batch.numClasses;
    }

    /** @return the blank class */
    public int blank() {
        return batch.blank;
    }

    /** @return the valid frames of sample n */
    public int inputLength(int n) {
        return batch.inputLengths[n];
    }

    /** @return the labels of sample n (a copy, {@code targetLength(n)} long) */
    public int[] target(int n) {
        return batch.targets[n].clone();
    }

    /**
     * Runs {@code task} once per sample in {@code [0, cost.length)} on the calling thread and the CTC kernels' pool
     * threads, costliest first (see the kernels' sample parallelism); returns when all have run. The first exception
     * is rethrown after the running calls have finished. {@code task} must not call this method itself.
     *
     * @param cost relative cost per sample (e.g. frames x target length); all 0 runs on the calling thread alone
     */
    public static void forEachSample(long[] cost, IntConsumer task) {
        SampleParallelism.forEachSample(cost, task);
    }
}
