package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link FrameSoftmax} computed in Java, one sample at a time on the kernel's own threads, for small
 * vocabularies.
 * <p>
 * Why not ND4J's softmax op there: it is the only native op of a call, and libnd4j's OpenMP workers keep spinning
 * for a while after it, time-slicing against the kernel's Java threads that run next (docs/benchmarks.md). In Java the
 * softmax runs inside the same per-sample task as the recursions, with no native op and no thread hand-over. Each
 * frame's log Z is kept exactly (double precision), one exp per score.
 */
final class JavaSoftmaxFrames implements FrameSoftmax {
    /**
     * Largest vocabulary computed here: Java's scalar exp loses to ND4J's vectorised pass as C grows, and the two
     * break even near C = 512 (docs/benchmarks.md).
     */
    static final int MAX_CLASSES = 512;

    private static final ThreadLocal<double[][]> ROW = ThreadLocal.withInitial(() -> new double[1][0]);

    private final CtcBatch batch;
    private final HostBuffer logits;
    private final INDArray softmax;          // null when only log Z is wanted
    private final HostBuffer probabilities;
    private final double[] logZ;             // [N * T]

    /**
     * @param probabilitiesWanted whether {@link #scaled} will be called (else only log Z is computed); the softmax
     *                            then goes into {@link NtcScores#newGradientArray()}: it becomes the gradient
     */
    JavaSoftmaxFrames(NtcScores scores, CtcBatch batch, boolean probabilitiesWanted) {
        this.batch = batch;
        this.logits = HostBuffer.of(scores.values);
        if (probabilitiesWanted) {
            softmax = scores.newGradientArray();
            probabilities = HostBuffer.of(softmax);
        } else {
            softmax = null;
            probabilities = null;
        }
        logZ = new double[batch.batchSize * batch.maxTime];
    }

    static boolean suits(CtcBatch batch) {
        return batch.numClasses <= MAX_CLASSES;
    }

    /** Computes sample n's frames (log Z, and the softmax with its padding frames zeroed); any thread, once per n. */
    void fill(int n) {
        fill(n, null, null, 1.0);
    }

    /**
     * As {@link #fill(int)}, also keeping {@code exp(x - frame maximum)} of the given classes of each valid frame in
     * {@code slotExp} ({@code [frames][classes.length]} row-major), so that the recursions get their emission ratios
     * from the softmax's exponentials instead of computing their own.
     *
     * @param slotClasses the classes to keep, or null for none
     * @param factor      what the softmax of the sample's valid frames is multiplied by
     */
    void fill(int n, int[] slotClasses, double[] slotExp, double factor) {
        int classes = batch.numClasses;
        int frames = batch.inputLengths[n];
        double[] row = ScratchRows.grow(ROW.get(), 0, classes);
        for (int t = 0; t < frames; t++) {
            logits.read(logits.frame(n, t), row, classes);
            double max = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (int c = 0; c < classes; c++) {
                double v = row[c];
                nan |= v != v;
                if (v > max) max = v;   // not Math.max, whose NaN and -0.0 handling is slower
            }
            if (nan) {
                max = Double.NaN;   // NaN wins, as in the native op
            }
            double sum = 0.0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(row[c] - max);   // NaN when max is infinite: the frame has no softmax
                row[c] = e;
                sum += e;
            }
            logZ[n * batch.maxTime + t] = max + Math.log(sum);
            if (slotClasses != null) {
                int k = slotClasses.length;
                for (int j = 0; j < k; j++) slotExp[t * k + j] = row[slotClasses[j]];
            }
            if (probabilities != null) {
                probabilities.write(probabilities.frame(n, t), row, factor / sum, classes);
            }
        }
        if (probabilities != null) {
            for (int t = frames; t < batch.maxTime; t++) probabilities.clear(probabilities.frame(n, t), classes);
        }
    }

    /**
     * Turns sample n's softmax, filled times its {@link GradientWeights#weight}, into its gradient, given its loss
     * and posteriors ({@code [frames][slots]}, the slots' classes in {@code slotClasses}): the posteriors
     * subtracted for a finite loss, the valid frames set to 0 or NaN for a loss without one (a zeroed loss has a
     * finite softmax, so 0 is what scaling it would give).
     */
    void finishGradient(int n, GradientWeights weights, double loss, double[] gamma, int[] slotClasses) {
        int classes = batch.numClasses;
        int frames = batch.inputLengths[n];
        double dense = weights.dense(n, loss);
        if (dense != weights.weight(n)) {
            for (int t = 0; t < frames; t++) {
                long frame = probabilities.frame(n, t);
                if (Double.isNaN(dense)) {
                    for (int c = 0; c < classes; c++) probabilities.put(frame + c, Double.NaN);
                } else {
                    probabilities.clear(frame, classes);
                }
            }
        }
        double w = weights.posterior(n, loss);
        if (w == 0.0 || gamma == null) {
            return;
        }
        int k = slotClasses.length;
        for (int t = 0; t < frames; t++) {
            long frame = probabilities.frame(n, t);
            for (int j = 0; j < k; j++) {
                long i = frame + slotClasses[j];
                probabilities.put(i, probabilities.get(i) - w * gamma[t * k + j]);
            }
        }
    }

    /** The array {@link #finishGradient} built the gradient in. */
    INDArray gradient() {
        return softmax;
    }

    @Override
    public double logNormaliser(int n, int t, int cls, double logit) {
        return logZ[n * batch.maxTime + t];
    }

    @Override
    public INDArray scaled(double[] factor) {
        int classes = batch.numClasses;
        long[] cost = new long[batch.batchSize];
        for (int n = 0; n < cost.length; n++) cost[n] = factor[n] == 1.0 ? 0 : batch.inputLengths[n];
        SampleParallelism.forEachSample(cost, n -> {
            if (factor[n] == 1.0) {
                return;
            }
            for (int t = 0; t < batch.inputLengths[n]; t++) {
                long frame = probabilities.frame(n, t);
                for (long i = frame; i < frame + classes; i++) probabilities.put(i, factor[n] * probabilities.get(i));
            }
        });
        return softmax;
    }
}
