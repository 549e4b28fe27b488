package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * PyTorch's {@code ctc_loss} semantics on top of the libnd4j kernel: the one implementation behind the eager
 * API and the SameDiff ops.
 * <p>
 * Each sample is one of three kinds: an empty target (loss {@code -sum_t log p_t(blank)}, computed here), a
 * target longer than its input (no alignment, loss +inf), or a sample for the kernel (which itself returns +inf
 * when repeated labels make the input too short). Infinite losses become 0 with zero gradient under
 * {@code zeroInfinity}; otherwise their gradient is NaN on the sample's valid frames, as in PyTorch. A NaN
 * or +inf log-probability that the sample's alignment reads makes its loss and gradient NaN.
 */
final class CtcLossEngine {
    private CtcLossEngine() {
    }

    /** The reduced loss ({@code [N]} for NONE, a scalar otherwise), in the scores' data type. */
    static INDArray loss(INDArray scores, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                         CtcOptions options, boolean fromLogits) {
        Problem p = prepare(scores, targets, inputLengths, targetLengths, options, fromLogits);
        return p.reducedLoss(p.sampleLosses());
    }

    /**
     * The reduced loss and its gradient with respect to {@code scores} (log-probabilities, or logits when
     * {@code fromLogits}), in the scores' layout and data type. For NONE the gradient is that of the sum.
     */
    static CtcResult lossAndGradient(INDArray scores, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                                     CtcOptions options, boolean fromLogits) {
        Problem p = prepare(scores, targets, inputLengths, targetLengths, options, fromLogits);
        double[] losses = p.sampleLosses();
        return new CtcResult(p.reducedLoss(losses), p.gradient(losses));
    }

    private static Problem prepare(INDArray scores, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                                   CtcOptions options, boolean fromLogits) {
        CtcBatch batch = CtcInputValidator.validate(scores, targets, inputLengths, targetLengths, options,
                fromLogits ? "logits" : "logProbs");
        return new Problem(scores, batch, options, fromLogits);
    }

    /** One validated call: batch-major log-probabilities plus the sample kinds. */
    private static final class Problem {
        private final CtcBatch batch;
        private final CtcOptions options;
        private final boolean fromLogits;
        private final DataType outputType;
        private final INDArray logProbs;     // [N, T, C], c-order, FLOAT or DOUBLE
        private final boolean[] onKernel;

        Problem(INDArray scores, CtcBatch batch, CtcOptions options, boolean fromLogits) {
            this.batch = batch;
            this.options = options;
            this.fromLogits = fromLogits;
            this.outputType = scores.dataType();
            INDArray ntc = batchMajor(scores, options.layout());
            this.logProbs = fromLogits ? Nd4j.exec(new LogSoftMax(ntc, 2))[0] : ntc;
            this.onKernel = new boolean[batch.batchSize];
            for (int n = 0; n < batch.batchSize; n++) {
                onKernel[n] = batch.targetLengths[n] > 0 && !batch.targetLongerThanInput(n);
            }
        }

        /** Per-sample negative log-likelihoods before zeroInfinity. */
        double[] sampleLosses() {
            double[] kernel = LibNd4jCtcKernel.losses(logProbs, batch, onKernel).toDoubleVector();
            boolean[] poisoned = NonFiniteScores.poisonedSamples(logProbs, batch);
            double[] out = new double[batch.batchSize];
            for (int n = 0; n < batch.batchSize; n++) {
                if (poisoned[n]) {
                    out[n] = Double.NaN;
                } else if (batch.targetLengths[n] == 0) {
                    out[n] = batch.inputLengths[n] == 0 ? 0.0 : -blankFrames(logProbs, n).sumNumber().doubleValue();
                } else {
                    out[n] = onKernel[n] ? kernel[n] : Double.POSITIVE_INFINITY;
                }
            }
            return out;
        }

        INDArray reducedLoss(double[] losses) {
            double[] l = new double[losses.length];
            for (int n = 0; n < l.length; n++) {
                l[n] = zeroed(losses[n]) ? 0.0 : losses[n];
            }
            switch (options.reduction()) {
                case NONE:
                    return Nd4j.createFromArray(l).castTo(outputType);
                case SUM: {
                    double sum = 0;
                    for (double v : l) sum += v;
                    return Nd4j.scalar(outputType, sum);
                }
                default: {
                    double sum = 0;
                    for (int n = 0; n < l.length; n++) sum += l[n] * weight(n);
                    return Nd4j.scalar(outputType, sum);
                }
            }
        }

        INDArray gradient(double[] losses) {
            INDArray grad = LibNd4jCtcKernel.gradients(logProbs, batch, onKernel);
            if (!fromLogits) {
                // The kernel returns exp(lp) - posterior (the logits gradient); d loss / d lp is -posterior.
                grad.subi(Transforms.exp(logProbs, true));
            }
            for (int n = 0; n < batch.batchSize; n++) {
                int frames = batch.inputLengths[n];
                INDArray sample = grad.get(NDArrayIndex.point(n), NDArrayIndex.all(), NDArrayIndex.all());
                if (frames < batch.maxTime) {
                    sample.get(NDArrayIndex.interval(frames, batch.maxTime), NDArrayIndex.all()).assign(0);
                }
                if (frames == 0) {
                    continue;
                }
                INDArray valid = sample.get(NDArrayIndex.interval(0, frames), NDArrayIndex.all());
                if (zeroed(losses[n])) {
                    valid.assign(0);
                } else if (losses[n] == Double.POSITIVE_INFINITY || Double.isNaN(losses[n])) {
                    valid.assign(Double.NaN);
                } else if (batch.targetLengths[n] == 0) {
                    emptyTargetGradient(n, valid);
                }
                double w = weight(n);
                if (w != 1.0) {
                    valid.muli(w);
                }
            }
            INDArray out = options.layout() == CtcLayout.TNC ? grad.permute(1, 0, 2).dup('c') : grad;
            return out.dataType() == outputType ? out : out.castTo(outputType);
        }

        /** d/d lp of -sum_t lp[t, blank] is -1 at the blank; through log_softmax it is softmax - onehot(blank). */
        private void emptyTargetGradient(int n, INDArray valid) {
            if (fromLogits) {
                INDArray lp = logProbs.get(NDArrayIndex.point(n), NDArrayIndex.interval(0, valid.size(0)),
                        NDArrayIndex.all());
                valid.assign(Transforms.exp(lp, true));
            } else {
                valid.assign(0);
            }
            INDArray blankColumn = valid.get(NDArrayIndex.all(), NDArrayIndex.point(batch.blank));
            blankColumn.subi(1.0);
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

        private INDArray blankFrames(INDArray lp, int n) {
            return lp.get(NDArrayIndex.point(n), NDArrayIndex.interval(0, batch.inputLengths[n]),
                    NDArrayIndex.point(batch.blank));
        }

        /** [N, T, C] in c order, in a type the kernel computes in. */
        private static INDArray batchMajor(INDArray scores, CtcLayout layout) {
            INDArray ntc = layout == CtcLayout.TNC ? scores.permute(1, 0, 2) : scores;
            DataType type = LibNd4jCtcKernel.supports(scores.dataType()) ? scores.dataType() : DataType.FLOAT;
            if (ntc.dataType() != type) {
                return ntc.castTo(type).dup('c');
            }
            return ntc.isView() || ntc.ordering() != 'c' ? ntc.dup('c') : ntc;
        }
    }
}
