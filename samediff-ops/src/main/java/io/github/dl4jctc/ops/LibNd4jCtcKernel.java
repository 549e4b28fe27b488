package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The kernel for every backend: libnd4j's {@code ctc_loss} / {@code ctc_loss_grad} (present in the CPU and CUDA
 * libraries), called on inputs shaped so that their known defects cannot show, and finished with ND4J ops.
 * <p>
 * Defects worked around, measured on M2.1: the kernel replaces the blank by {@code S - 1} when
 * {@code blank > S} (S = padded target width), so the targets handed over are padded to a width above the
 * blank; it truncates targets longer than the input and returns -inf for empty targets, so such samples are
 * never handed over (their target length is passed as 0, which the kernel skips) and are computed here; its
 * log-sum-exp treats NaN as -inf (NaN input came back as a +inf loss), see {@link NonFiniteScores}. The kernel
 * leaves frames past each input length untouched in the gradient, so only valid frames are read from it.
 * <p>
 * The kernel always runs in float64: in float32 its gradient is off by 1e-2 from the exact one at T = 2000
 * (float64: 1e-12); the log-softmax of logits is computed here ({@link #logSoftmax}), not by ND4J's op.
 */
final class LibNd4jCtcKernel implements CtcKernel {
    static final LibNd4jCtcKernel INSTANCE = new LibNd4jCtcKernel();

    private LibNd4jCtcKernel() {
    }

    @Override
    public Run run(NtcScores scores, CtcBatch batch, GradientWeights weights) {
        boolean posteriors = weights != null;
        // The native ops take packed [N, T, C]; the scores may be a TNC array seen through a permutation.
        INDArray packed = HostValues.isPackedCOrder(scores.values) ? scores.values : scores.values.dup('c');
        INDArray values = packed.dataType() == DataType.DOUBLE ? packed : packed.castTo(DataType.DOUBLE);
        INDArray logProbs = scores.logits ? logSoftmax(values) : values;
        boolean[] onKernel = new boolean[batch.batchSize];
        for (int n = 0; n < batch.batchSize; n++) {
            onKernel[n] = batch.targetLengths[n] > 0 && !batch.targetLongerThanInput(n);
        }
        INDArray kernelLosses = Nd4j.create(logProbs.dataType(), batch.batchSize);
        exec("ctc_loss", logProbs, batch, onKernel, kernelLosses);
        double[] losses = finishLosses(kernelLosses.toDoubleVector(), logProbs, batch, onKernel);
        INDArray posterior = null;
        if (posteriors) {
            // The kernel returns exp(lp) - posterior on valid frames. Where lp = -inf it returns NaN (its
            // exp(log alpha*beta - lp) is exp(-inf + inf), measured with -inf logits); a class of probability 0
            // has posterior 0. A NaN posterior is only ever used for a sample with a finite loss, whose alignment
            // reads no NaN, so every NaN left here is one of those and becomes 0.
            INDArray grad = Nd4j.zeros(logProbs.dataType(), logProbs.shape());
            exec("ctc_loss_grad", logProbs, batch, onKernel, grad);
            posterior = Transforms.exp(logProbs, true).subi(grad);
            BooleanIndexing.replaceWhere(posterior, 0.0, Conditions.isNan());
        }
        return new NativeRun(losses, posterior, packed, batch, weights);
    }

    /**
     * log_softmax over the class axis of [N, T, C], as {@code x - max - log(sum(exp(x - max)))}. ND4J M2.1's
     * LogSoftMax op is log(softmax(x)): a class more than ~745 below its frame's best (float64; ~103 in float32)
     * comes out -inf, which made feasible samples +inf (logits of scale 150; scale 50 in float32).
     */
    private static INDArray logSoftmax(INDArray ntc) {
        INDArray max = ntc.max(2);
        INDArray shifted = Nd4j.exec(new BroadcastSubOp(ntc, max, ntc.ulike(), 0, 1));
        INDArray logZ = Transforms.log(Transforms.exp(shifted, true).sum(2), false);
        return Nd4j.exec(new BroadcastSubOp(shifted, logZ, shifted, 0, 1));
    }

    private static double[] finishLosses(double[] kernel, INDArray logProbs, CtcBatch batch, boolean[] onKernel) {
        boolean[] poisoned = NonFiniteScores.poisonedSamples(logProbs, batch);
        double[] out = new double[batch.batchSize];
        for (int n = 0; n < batch.batchSize; n++) {
            if (poisoned[n]) {
                out[n] = Double.NaN;
            } else if (batch.targetLengths[n] == 0) {
                out[n] = batch.inputLengths[n] == 0 ? 0.0 : -logProbs.get(NDArrayIndex.point(n),
                        NDArrayIndex.interval(0, batch.inputLengths[n]), NDArrayIndex.point(batch.blank))
                        .sumNumber().doubleValue();
            } else {
                out[n] = onKernel[n] ? kernel[n] : Double.POSITIVE_INFINITY;
            }
        }
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
        Nd4j.exec(DynamicCustomOp.builder(opName)
                .addInputs(Nd4j.createFromArray(targets), logProbsNtc, Nd4j.createFromArray(targetLengths),
                        Nd4j.createFromArray(batch.inputLengths))
                .addOutputs(out)
                .addIntegerArguments(batch.blank)
                .build());
    }

    private static final class NativeRun implements CtcKernel.Run {
        private final double[] losses;
        private final INDArray posterior;
        private final INDArray scores;   // packed [N, T, C]
        private final CtcBatch batch;
        private final GradientWeights weights;

        NativeRun(double[] losses, INDArray posterior, INDArray scores, CtcBatch batch, GradientWeights weights) {
            this.losses = losses;
            this.posterior = posterior;
            this.scores = scores;
            this.batch = batch;
            this.weights = weights;
        }

        @Override
        public INDArray logitsGradient() {
            INDArray gradient = scaledSoftmax(weights.dense(losses));
            subtractPosteriors(gradient, weights.posterior(losses));
            return gradient;
        }

        private INDArray scaledSoftmax(double[] factor) {
            INDArray softmax = Nd4j.exec(new SoftMax(scores, 2))[0];
            int t = batch.maxTime;
            double[] f = new double[batch.batchSize * t];
            for (int n = 0; n < batch.batchSize; n++) {
                java.util.Arrays.fill(f, n * t, n * t + batch.inputLengths[n], factor[n]);
            }
            INDArray frameFactors = Nd4j.createFromArray(f).reshape(batch.batchSize, t).castTo(softmax.dataType());
            Nd4j.exec(new BroadcastMulOp(softmax, frameFactors, softmax, 0, 1));
            // Frames past an input length are set, not scaled: padding may hold NaN or inf, and NaN * 0 is NaN.
            for (int n = 0; n < batch.batchSize; n++) {
                if (batch.inputLengths[n] < t) {
                    softmax.get(NDArrayIndex.point(n), NDArrayIndex.interval(batch.inputLengths[n], t),
                            NDArrayIndex.all()).assign(0.0);
                }
            }
            return softmax;
        }

        @Override
        public double[] losses() {
            return losses.clone();
        }

        @Override
        public void subtractPosteriors(INDArray gradientNtc, double[] weights) {
            for (int n = 0; n < batch.batchSize; n++) {
                int frames = batch.inputLengths[n];
                if (weights[n] == 0.0 || frames == 0 || !Double.isFinite(losses[n])) {
                    continue;
                }
                INDArray target = gradientNtc.get(NDArrayIndex.point(n), NDArrayIndex.interval(0, frames),
                        NDArrayIndex.all());
                if (batch.targetLengths[n] == 0) {
                    // Every alignment of an empty target is all blanks.
                    target.get(NDArrayIndex.all(), NDArrayIndex.point(batch.blank)).subi(weights[n]);
                } else {
                    target.subi(posterior.get(NDArrayIndex.point(n), NDArrayIndex.interval(0, frames),
                            NDArrayIndex.all()).mul(weights[n]).castTo(target.dataType()));
                }
            }
        }
    }
}
