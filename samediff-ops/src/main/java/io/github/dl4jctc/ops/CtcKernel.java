package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Computes per-sample CTC negative log-likelihoods and label posteriors for a validated batch. Implementations
 * follow PyTorch's conventions for every sample: empty targets, +inf where no alignment exists, NaN where the
 * alignment reads a NaN or +inf log-probability.
 */
interface CtcKernel {
    /**
     * @param scores  log-probabilities or logits, {@code [N, T, C]}
     * @param weights the gradient's per-sample weights when a gradient is wanted ({@link Run#logitsGradient} or
     *                {@link Run#subtractPosteriors} will be called), else null
     */
    Run run(NtcScores scores, CtcBatch batch, GradientWeights weights);

    /** The result of one call. */
    interface Run {
        /** Per-sample negative log-likelihoods. */
        double[] losses();

        /**
         * For logits: the gradient {@code dense * softmax(logits)[n, t, :] - posterior * posteriors[n, t, :]} on
         * frames {@code t < inputLengths[n]}, 0 past them, with the factors of {@link GradientWeights} for each
         * sample's loss, as an {@code [N, T, C]} array: a new one, the caller's ({@link NtcScores}), a reusable one,
         * or a packed TNC one seen through a permutation (call once, after {@link #losses()}).
         */
        INDArray logitsGradient();

        /**
         * {@code gradient[n, t, c] -= weights[n] * posterior[n, t, c]} for frames {@code t < inputLengths[n]}
         * of the samples with a finite loss and a non-zero weight; the posterior of class c at frame t is the
         * probability that an alignment of the target emits c there.
         */
        void subtractPosteriors(INDArray gradientNtc, double[] weights);
    }
}
