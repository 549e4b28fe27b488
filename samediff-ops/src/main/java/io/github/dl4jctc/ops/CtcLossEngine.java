package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * PyTorch's {@code ctc_loss} semantics around a {@link CtcKernel}: validation, layout, reduction,
 * {@code zeroInfinity} and the assembly of the gradient. The one implementation behind the eager API and the
 * SameDiff ops.
 * <p>
 * Gradient rules, as in PyTorch: frames past a sample's input length get 0; a sample with an infinite (or NaN)
 * loss gets NaN on its valid frames, or 0 everywhere when {@code zeroInfinity} zeroed its loss. The gradient
 * with respect to log-probabilities is {@code -w * posterior}; with respect to logits it is
 * {@code w * (softmax - posterior)}, where w is the sample's reduction weight.
 */
final class CtcLossEngine {
    private CtcLossEngine() {
    }

    /** The reduced loss ({@code [N]} for NONE, a scalar otherwise), in the scores' data type. */
    static INDArray loss(INDArray scores, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                         CtcOptions options, boolean fromLogits) {
        return loss(scores, targets, inputLengths, targetLengths, options, fromLogits, CtcKernels.forCurrentBackend());
    }

    static INDArray loss(INDArray scores, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                         CtcOptions options, boolean fromLogits, CtcKernel kernel) {
        Problem p = new Problem(scores, targets, inputLengths, targetLengths, options, fromLogits, true, null, 1.0);
        return p.reducedLoss(kernel.run(p.scores, p.batch, null).losses());
    }

    /**
     * The reduced loss and its gradient with respect to {@code scores} (log-probabilities, or logits when
     * {@code fromLogits}), in the scores' layout and data type. For NONE the gradient is that of the sum.
     */
    static CtcResult lossAndGradient(INDArray scores, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                                     CtcOptions options, boolean fromLogits) {
        return lossAndGradient(scores, targets, inputLengths, targetLengths, options, fromLogits,
                CtcKernels.forCurrentBackend());
    }

    static CtcResult lossAndGradient(INDArray scores, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                                     CtcOptions options, boolean fromLogits, CtcKernel kernel) {
        return lossAndGradient(scores, targets, inputLengths, targetLengths, options, fromLogits, kernel, false,
                null, 1.0);
    }

    /**
     * As {@link #lossAndGradient(INDArray, INDArray, INDArray, INDArray, CtcOptions, boolean)}, but the gradient
     * may live in a per-thread reusable array ({@link ReusableArrays}): valid until this thread's next call, so
     * for callers that copy it at once (the SameDiff op, whose result libnd4j copies into SameDiff's array).
     */
    static CtcResult lossAndGradientToCopy(INDArray scores, INDArray targets, INDArray inputLengths,
                                           INDArray targetLengths, CtcOptions options, boolean fromLogits) {
        return lossAndGradient(scores, targets, inputLengths, targetLengths, options, fromLogits,
                CtcKernels.forCurrentBackend(), true, null, 1.0);
    }

    /**
     * As {@link #lossAndGradient(INDArray, INDArray, INDArray, INDArray, CtcOptions, boolean)}, the gradient
     * written into the caller's {@code gradient} (same shape and data type as the scores, FLOAT or DOUBLE, packed
     * in c order).
     */
    static CtcResult lossAndGradientInto(INDArray scores, INDArray targets, INDArray inputLengths,
                                         INDArray targetLengths, CtcOptions options, boolean fromLogits,
                                         INDArray gradient) {
        return lossAndGradientInto(scores, targets, inputLengths, targetLengths, options, fromLogits, gradient,
                1.0, CtcKernels.forCurrentBackend());
    }

    /** As above, the gradient (not the loss) multiplied by {@code gradientScale} as the kernel writes it. */
    static CtcResult lossAndGradientInto(INDArray scores, INDArray targets, INDArray inputLengths,
                                         INDArray targetLengths, CtcOptions options, boolean fromLogits,
                                         INDArray gradient, double gradientScale) {
        return lossAndGradientInto(scores, targets, inputLengths, targetLengths, options, fromLogits, gradient,
                gradientScale, CtcKernels.forCurrentBackend());
    }

    static CtcResult lossAndGradientInto(INDArray scores, INDArray targets, INDArray inputLengths,
                                         INDArray targetLengths, CtcOptions options, boolean fromLogits,
                                         INDArray gradient, CtcKernel kernel) {
        return lossAndGradientInto(scores, targets, inputLengths, targetLengths, options, fromLogits, gradient,
                1.0, kernel);
    }

    static CtcResult lossAndGradientInto(INDArray scores, INDArray targets, INDArray inputLengths,
                                         INDArray targetLengths, CtcOptions options, boolean fromLogits,
                                         INDArray gradient, double gradientScale, CtcKernel kernel) {
        if (!Double.isFinite(gradientScale)) {
            throw new IllegalArgumentException("gradientScale: got " + gradientScale + ", expected a finite number");
        }
        String scoresName = fromLogits ? "logits" : "logProbs";
        // (null scores are left to the validator, which names them)
        if (scores != null && (gradient == null || !java.util.Arrays.equals(gradient.shape(), scores.shape())
                || gradient.dataType() != scores.dataType()
                || !(gradient.dataType() == DataType.FLOAT || gradient.dataType() == DataType.DOUBLE)
                || !HostValues.isPackedCOrder(gradient))) {
            throw new IllegalArgumentException("gradient: got " + describe(gradient) + ", expected an array shaped"
                    + " and typed as " + scoresName + " (" + describe(scores) + "), FLOAT or DOUBLE, packed in c order"
                    + " from its buffer's start (not a view into a larger array)");
        }
        if (scores != null && gradient.data() == scores.data()) {
            // The native softmax (C > 512) would overwrite the logits that log Z is then read from.
            throw new IllegalArgumentException("gradient: got the " + scoresName + " array itself (or a view of its"
                    + " buffer), expected a separate array: the gradient cannot be computed in place");
        }
        return lossAndGradient(scores, targets, inputLengths, targetLengths, options, fromLogits, kernel, false,
                gradient, gradientScale);
    }

    /**
     * @param gradientOut where the gradient goes (then the result's gradient), or null for a new (or, if
     *                    callerCopies, reusable) array
     * @param gradientScale what the gradient (not the loss) is multiplied by
     */
    private static CtcResult lossAndGradient(INDArray scores, INDArray targets, INDArray inputLengths,
                                             INDArray targetLengths, CtcOptions options, boolean fromLogits,
                                             CtcKernel kernel, boolean callerCopies, INDArray gradientOut,
                                             double gradientScale) {
        Problem p = new Problem(scores, targets, inputLengths, targetLengths, options, fromLogits, callerCopies,
                gradientOut, gradientScale);
        CtcKernel.Run run = kernel.run(p.scores, p.batch, p.gradientWeights());
        double[] losses = run.losses();
        return new CtcResult(p.reducedLoss(losses), p.gradient(run, losses));
    }

    private static String describe(INDArray a) {
        return a == null ? "null" : a.dataType() + " " + java.util.Arrays.toString(a.shape()) + " strides "
                + java.util.Arrays.toString(a.stride());
    }

    /** One validated call. */
    private static final class Problem {
        final CtcBatch batch;
        final NtcScores scores;
        private final CtcOptions options;
        private final boolean fromLogits;
        private final DataType outputType;
        private final boolean callerCopies;
        private final INDArray gradientOut;
        private final double gradientScale;

        /**
         * @param callerCopies whether the gradient may be left in a reusable array (else it is a fresh one, or
         *                     gradientOut); intermediates the caller never sees are reusable either way
         * @param gradientOut  the caller's array for the gradient, in the caller's layout, or null
         * @param gradientScale what the gradient's reduction weights are multiplied by
         */
        Problem(INDArray scores, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                CtcOptions options, boolean fromLogits, boolean callerCopies, INDArray gradientOut,
                double gradientScale) {
            this.batch = CtcInputValidator.validate(scores, targets, inputLengths, targetLengths, options,
                    fromLogits ? "logits" : "logProbs");
            this.options = options;
            this.fromLogits = fromLogits;
            this.outputType = scores.dataType();
            this.callerCopies = callerCopies;
            this.gradientOut = gradientOut;
            this.gradientScale = gradientScale;
            boolean inPlace = readInPlace(scores);
            this.scores = new NtcScores(batchMajor(scores, options.layout(), inPlace), fromLogits, callerCopies,
                    inPlace && options.layout() == CtcLayout.TNC,
                    gradientOut == null ? null : ntcView(gradientOut, options.layout()));
        }

        INDArray reducedLoss(double[] losses) {
            double[] l = new double[losses.length];
            for (int n = 0; n < l.length; n++) {
                l[n] = zeroed(losses[n]) ? 0.0 : losses[n];
            }
            if (options.reduction() == CtcReduction.NONE) {
                return Nd4j.createFromArray(l).castTo(outputType);
            }
            double sum = 0;
            for (int n = 0; n < l.length; n++) {
                sum += l[n] * weight(n);
            }
            return Nd4j.scalar(outputType, sum);
        }

        /** The reduction weights and PyTorch's rules for non-finite losses, for the kernel's gradient. */
        GradientWeights gradientWeights() {
            double[] w = new double[batch.batchSize];
            for (int n = 0; n < w.length; n++) w[n] = weight(n) * gradientScale;
            return new GradientWeights(w, options.zeroInfinity());
        }

        INDArray gradient(CtcKernel.Run run, double[] losses) {
            INDArray grad;
            if (fromLogits) {
                grad = run.logitsGradient();
            } else {
                GradientWeights weights = gradientWeights();
                grad = scores.newGradientArray().assign(0.0);
                for (int i = 0; i < batch.batchSize; i++) {
                    if (Double.isNaN(weights.dense(i, losses[i])) && batch.inputLengths[i] > 0) {
                        grad.get(NDArrayIndex.point(i), NDArrayIndex.interval(0, batch.inputLengths[i]),
                                NDArrayIndex.all()).assign(Double.NaN);
                    }
                }
                run.subtractPosteriors(grad, weights.posterior(losses));
            }
            INDArray out = ntcView(grad, options.layout());   // the permutation is its own inverse: back to TNC
            if (gradientOut != null) {
                if (out.data() != gradientOut.data()) {
                    gradientOut.assign(out);   // a kernel that builds its own array (libnd4j's)
                }
                return gradientOut;
            }
            // Not packed when the gradient was built in NTC for TNC scores: copied scores (not packed, HALF) or a
            // kernel that works in [N, T, C] only (libnd4j's).
            if (!HostValues.isPackedCOrder(out)) {
                out = callerCopies
                        ? ReusableArrays.get(ReusableArrays.Role.GRADIENT_OUT, out.dataType(), out.shape()).assign(out)
                        : out.dup('c');
            }
            return out.dataType() == outputType ? out : out.castTo(outputType);
        }

        private boolean zeroed(double loss) {
            return options.zeroInfinity() && loss == Double.POSITIVE_INFINITY;
        }

        private double weight(int n) {
            if (options.reduction() != CtcReduction.MEAN) {
                return 1.0;
            }
            return 1.0 / ((double) batch.batchSize * Math.max(batch.targetLengths[n], 1));
        }

        /** Whether the kernels read the caller's scores themselves (packed, in a type they compute in). */
        private static boolean readInPlace(INDArray scores) {
            boolean computable = scores.dataType() == DataType.FLOAT || scores.dataType() == DataType.DOUBLE;
            return computable && HostValues.isPackedCOrder(scores);
        }

        /**
         * [N, T, C] in a type the kernels compute in (HALF and BFLOAT16 go through FLOAT), classes contiguous: the
         * caller's array itself when {@code inPlace} (a TNC one seen through a permutation: copying it cost a
         * native op per call, whose OpenMP workers then spin against the kernel's threads), else a copy, in a
         * reusable array when the type allows, since no caller sees it.
         */
        private static INDArray batchMajor(INDArray scores, CtcLayout layout, boolean inPlace) {
            INDArray ntc = ntcView(scores, layout);
            if (inPlace) {
                return ntc;
            }
            if (scores.dataType() != DataType.FLOAT && scores.dataType() != DataType.DOUBLE) {
                return ntc.castTo(DataType.FLOAT).dup('c');
            }
            return ReusableArrays.get(ReusableArrays.Role.SCORES_NTC, ntc.dataType(), ntc.shape()).assign(ntc);
        }

        /** {@code array} in the caller's layout seen as [N, T, C] (no copy), or back. */
        private static INDArray ntcView(INDArray array, CtcLayout layout) {
            return layout == CtcLayout.TNC ? array.permute(1, 0, 2) : array;
        }
    }
}
