package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CPU kernel: CTC's forward-backward in Java, one sample per task, in scaled probability space
 * ({@link ScaledForwardBackward}) or, for the samples whose scores are too peaky for that, in log space
 * ({@link LogSpaceForwardBackward}).
 * <p>
 * Why it is fast where C is large: libnd4j's kernel touches all C classes of every frame in log space; here each
 * frame's scores are read only for the blank and the sample's distinct labels ({@link ExtendedTarget}), so the
 * recursions cost O(T (2S + 1)) whatever the vocabulary, and the dense half of a logits gradient is a softmax
 * ({@link FrameSoftmax}), which also gives each frame's log Z. Everything is double precision whatever the input
 * type, and a sample's result does not depend on how the batch is split across threads.
 * <p>
 * Logits go into the recursions unnormalised: posteriors do not change when a frame's scores all shift by the
 * same amount, and the likelihood changes by that frame's log Z, added afterwards. So the Java recursions run
 * before a native softmax (large C), not after it: libnd4j's OpenMP workers spin for a while after each op, and
 * Java threads started right after one share the cores with them (see {@link SampleParallelism}); for small C
 * the softmax is computed in Java in the same per-sample task ({@link JavaSoftmaxFrames}).
 */
final class JavaCtcKernel implements CtcKernel {
    static final JavaCtcKernel INSTANCE = new JavaCtcKernel();

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[2][0]);

    private JavaCtcKernel() {
    }

    @Override
    public Run run(NtcScores scores, CtcBatch batch, GradientWeights weights) {
        boolean posteriors = weights != null;
        HostBuffer values = HostBuffer.of(scores.values);
        Sample[] samples = new Sample[batch.batchSize];
        JavaSoftmaxFrames javaSoftmax = scores.logits && JavaSoftmaxFrames.suits(batch)
                ? new JavaSoftmaxFrames(scores, batch, posteriors)
                : null;
        SampleParallelism.forEachSample(cost(batch, javaSoftmax != null), n -> {
            ExtendedTarget ext = new ExtendedTarget(batch.targets[n], batch.blank);
            if (javaSoftmax == null) {
                samples[n] = sample(values, batch, n, ext, null, posteriors);
                return;
            }
            // The whole sample in one task: the softmax first (its exponentials give the recursions' emission
            // ratios), written already times the sample's weight, then the recursions and the posteriors
            // subtracted from the sample's frames while they are in cache.
            double[] slotExp = ScratchRows.grow(SCRATCH.get(), 1, batch.inputLengths[n] * ext.classes.length);
            javaSoftmax.fill(n, ext.classes, slotExp, posteriors ? weights.weight(n) : 1.0);
            Sample sample = sample(values, batch, n, ext, slotExp, posteriors)
                    .normalised(javaSoftmax, n, values, batch);
            if (posteriors) {
                javaSoftmax.finishGradient(n, weights, sample.nll, sample.gamma, ext.classes);
            }
            samples[n] = sample;
        });
        if (javaSoftmax != null) {
            return new JavaRun(samples, javaSoftmax, batch, weights, true);
        }
        FrameSoftmax softmax = null;
        if (scores.logits) {
            softmax = new NativeSoftmaxFrames(scores, batch);
            for (int n = 0; n < samples.length; n++) {
                samples[n] = samples[n].normalised(softmax, n, values, batch);
            }
        }
        return new JavaRun(samples, softmax, batch, weights, false);
    }

    /** Work per sample: frames times extended-target states, plus frames times classes for a Java softmax. */
    private static long[] cost(CtcBatch batch, boolean softmax) {
        long[] cost = new long[batch.batchSize];
        for (int n = 0; n < cost.length; n++) {
            long states = 2L * batch.targets[n].length + 1 + (softmax ? batch.numClasses : 0);
            cost[n] = batch.inputLengths[n] * states;
        }
        return cost;
    }

    /**
     * @param slotExp exp(logit - frame maximum) of the sample's slots per frame, from the softmax, or null
     */
    private static Sample sample(HostBuffer scores, CtcBatch batch, int n, ExtendedTarget ext, double[] slotExp,
                                 boolean posteriors) {
        int frames = batch.inputLengths[n];
        if (frames == 0) {
            return ext.minimumFrames > 0 ? Sample.NO_ALIGNMENT : new Sample(0.0, ext, null, null);   // empty sum
        }
        int k = ext.classes.length;
        double[] lp = ScratchRows.grow(SCRATCH.get(), 0, frames * k);
        int[] bestClass = new int[frames];
        boolean impossible = ext.minimumFrames > frames;
        for (int t = 0; t < frames; t++) {
            long frame = scores.frame(n, t);
            double max = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int j = 0; j < k; j++) {
                double v = scores.get(frame + ext.classes[j]);
                if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                    return Sample.NOT_A_NUMBER;
                }
                lp[t * k + j] = v;
                if (v > max) {
                    max = v;
                    argmax = j;
                }
            }
            impossible |= max == Double.NEGATIVE_INFINITY;   // every class the target could emit here is impossible
            bestClass[t] = ext.classes[argmax];
        }
        if (impossible) {
            return new Sample(Double.POSITIVE_INFINITY, ext, null, bestClass);   // NaN still wins if a log Z is NaN
        }
        ForwardBackwardResult r = ScaledForwardBackward.run(lp, slotExp, k, ext, frames, posteriors);
        if (r == null) {
            r = LogSpaceForwardBackward.run(lp, k, ext, frames, posteriors);   // scores too peaky to scale
        }
        return new Sample(-r.logLikelihood, ext, r.gamma, bestClass);
    }

    /** One sample's result: its NLL and, when asked for, its posteriors per frame and slot. */
    private static final class Sample {
        static final Sample NO_ALIGNMENT = new Sample(Double.POSITIVE_INFINITY, null, null, null);
        static final Sample NOT_A_NUMBER = new Sample(Double.NaN, null, null, null);

        final double nll;
        final ExtendedTarget target;
        final double[] gamma;            // [frames][slots]
        private final int[] bestClass;   // per frame, the class with the largest score among the slots'

        Sample(double nll, ExtendedTarget target, double[] gamma, int[] bestClass) {
            this.nll = nll;
            this.target = target;
            this.gamma = gamma;
            this.bestClass = bestClass;
        }

        /** For logits: the NLL plus each frame's log Z (the recursions ran on unnormalised scores). */
        Sample normalised(FrameSoftmax softmax, int n, HostBuffer logits, CtcBatch batch) {
            if (bestClass == null) {
                return this;
            }
            double sum = 0.0;
            for (int t = 0; t < bestClass.length; t++) {
                long frame = logits.frame(n, t);
                sum += softmax.logNormaliser(n, t, bestClass[t], logits.get(frame + bestClass[t]));
            }
            if (Double.isNaN(sum) || sum == Double.POSITIVE_INFINITY) {
                return NOT_A_NUMBER;   // a NaN or +inf logit elsewhere in a frame spoils its log-softmax
            }
            return new Sample(nll + sum, target, gamma, bestClass);
        }
    }

    private static final class JavaRun implements CtcKernel.Run {
        private final Sample[] samples;
        private final FrameSoftmax softmax;
        private final CtcBatch batch;
        private final GradientWeights weights;
        /** Whether the tasks have already built the logits gradient in the softmax's array. */
        private final boolean gradientDone;

        JavaRun(Sample[] samples, FrameSoftmax softmax, CtcBatch batch, GradientWeights weights,
                boolean gradientDone) {
            this.samples = samples;
            this.softmax = softmax;
            this.batch = batch;
            this.weights = weights;
            this.gradientDone = gradientDone;
        }

        @Override
        public double[] losses() {
            double[] out = new double[samples.length];
            for (int n = 0; n < out.length; n++) {
                out[n] = samples[n].nll;
            }
            return out;
        }

        @Override
        public INDArray logitsGradient() {
            if (gradientDone) {
                return ((JavaSoftmaxFrames) softmax).gradient();
            }
            double[] losses = losses();
            INDArray gradient = softmax.scaled(weights.dense(losses));
            subtractPosteriors(gradient, weights.posterior(losses));
            return gradient;
        }

        @Override
        public void subtractPosteriors(INDArray gradientNtc, double[] weights) {
            HostBuffer g = HostBuffer.of(gradientNtc);
            SampleParallelism.forEachSample(cost(batch, false), n -> {
                Sample sample = samples[n];
                if (weights[n] == 0.0 || sample.gamma == null || !Double.isFinite(sample.nll)) {
                    return;
                }
                int[] cls = sample.target.classes;
                int k = cls.length;
                for (int t = 0; t < batch.inputLengths[n]; t++) {
                    long base = g.frame(n, t);
                    for (int j = 0; j < k; j++) {
                        long i = base + cls[j];
                        g.put(i, g.get(i) - weights[n] * sample.gamma[t * k + j]);
                    }
                }
            });
        }
    }
}
