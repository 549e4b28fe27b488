package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;


/**
 * {@link FrameSoftmax} through ND4J's softmax op, for large vocabularies (above
 * {@link JavaSoftmaxFrames#MAX_CLASSES}), where its vectorised pass beats Java's one exp per score.
 * <p>
 * log Z is recovered per frame without another dense pass: {@code log Z = x_j - log softmax_j} for a class j whose
 * softmax value has kept its digits (the kernel passes the largest logit among the classes it reads); only frames
 * where all those classes are tiny are summed here. (ND4J's log_softmax and logsumexp ops cost several times as much
 * as the softmax.)
 */
final class NativeSoftmaxFrames implements FrameSoftmax {
    /** A float softmax value this large still carries ~7 significant digits (denormals start near 1e-38). */
    private static final double SMALLEST_TRUSTED = 1e-20;

    private final CtcBatch batch;
    private final INDArray softmax;
    private final HostBuffer probabilities;
    private final HostBuffer logits;

    /** The softmax goes into {@link NtcScores#newGradientArray()}: it becomes the gradient. */
    NativeSoftmaxFrames(NtcScores scores, CtcBatch batch) {
        this.batch = batch;
        this.softmax = Nd4j.exec(new SoftMax(scores.values, scores.newGradientArray(), 2))[0];
        this.probabilities = HostBuffer.of(softmax);
        this.logits = HostBuffer.of(scores.values);
    }

    @Override
    public double logNormaliser(int n, int t, int cls, double logit) {
        double p = probabilities.get(probabilities.frame(n, t) + cls);
        if (p >= SMALLEST_TRUSTED) {
            return logit - Math.log(p);
        }
        long frame = logits.frame(n, t);
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < batch.numClasses; c++) max = Math.max(max, logits.get(frame + c));
        double sum = 0;
        for (int c = 0; c < batch.numClasses; c++) sum += Math.exp(logits.get(frame + c) - max);
        return max + Math.log(sum);
    }

    /** Native ops: at large C a Java pass over [N, T, C] costs more than the softmax. */
    @Override
    public INDArray scaled(double[] factor) {
        boolean allOnes = true;
        for (double f : factor) allOnes &= f == 1.0;
        if (!allOnes) {   // SUM and NONE: a dense pass saved
            INDArray column = Nd4j.createFromArray(factor).castTo(softmax.dataType());
            Nd4j.exec(new BroadcastMulOp(softmax, column, softmax, 0));
        }
        for (int n = 0; n < batch.batchSize; n++) {
            for (int t = batch.inputLengths[n]; t < batch.maxTime; t++) {
                // set, not scaled: the softmax of padding frames may hold NaN
                probabilities.clear(probabilities.frame(n, t), batch.numClasses);
            }
        }
        return softmax;
    }
}
