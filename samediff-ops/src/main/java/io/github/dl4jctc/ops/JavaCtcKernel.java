package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.stream.IntStream;

/**
 * The CPU kernel: CTC's forward-backward in Java ({@link LogSpaceForwardBackward}), one sample per task.
 * <p>
 * Why it is fast where C is large: libnd4j's kernel touches all C classes of every frame in log space; here each
 * frame's log-probabilities are read only for the blank and the sample's distinct labels
 * ({@link ExtendedTarget}), so the recursions cost O(T (2S + 1)) whatever the vocabulary, and the dense half of a
 * logits gradient is ND4J's softmax ({@link SoftmaxFrames}), which also gives each frame's log Z. Everything is
 * double precision whatever the input type, and a sample's result does not depend on how the batch is split
 * across threads.
 */
final class JavaCtcKernel implements CtcKernel {
    static final JavaCtcKernel INSTANCE = new JavaCtcKernel();

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[1][0]);

    private JavaCtcKernel() {
    }

    @Override
    public Run run(NtcScores scores, CtcBatch batch, boolean posteriors) {
        SoftmaxFrames softmax = scores.logits ? new SoftmaxFrames(scores.values, batch) : null;
        Emissions emissions = new Emissions(scores, softmax, batch);
        Sample[] samples = new Sample[batch.batchSize];
        IntStream.range(0, batch.batchSize).parallel()
                .forEach(n -> samples[n] = sample(emissions, batch, n, posteriors));
        return new JavaRun(samples, softmax, batch);
    }

    /** Reads log-probabilities from [N, T, C] scores: logits minus their frame's log Z, or log-probabilities. */
    private static final class Emissions {
        final HostBuffer scores;
        final SoftmaxFrames softmax;
        final int time;
        final int classes;

        Emissions(NtcScores s, SoftmaxFrames softmax, CtcBatch batch) {
            this.scores = HostBuffer.of(s.values);
            this.softmax = softmax;
            this.time = batch.maxTime;
            this.classes = batch.numClasses;
        }

        double score(int n, int t, int c) {
            return scores.get(((long) n * time + t) * classes + c);
        }

        /** log Z of a frame (0 for log-probabilities), given the largest logit among the classes read. */
        double logNormaliser(int n, int t, int cls, double logit) {
            return softmax == null ? 0.0 : softmax.logNormaliser(n, t, cls, logit);
        }
    }

    private static Sample sample(Emissions e, CtcBatch batch, int n, boolean posteriors) {
        int frames = batch.inputLengths[n];
        ExtendedTarget ext = new ExtendedTarget(batch.targets[n], batch.blank);
        if (ext.minimumFrames > frames) {
            return Sample.NO_ALIGNMENT;
        }
        if (frames == 0) {
            return new Sample(0.0, ext, null);   // empty target, empty input: an empty sum
        }
        int k = ext.classes.length;
        double[] lp = grow(SCRATCH.get(), frames * k);
        for (int t = 0; t < frames; t++) {
            double max = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int j = 0; j < k; j++) {
                double v = e.score(n, t, ext.classes[j]);
                if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                    return Sample.NOT_A_NUMBER;
                }
                lp[t * k + j] = v;
                if (v > max) {
                    max = v;
                    argmax = j;
                }
            }
            if (max == Double.NEGATIVE_INFINITY) {
                return Sample.NO_ALIGNMENT;   // every class the target could emit here is impossible
            }
            double logZ = e.logNormaliser(n, t, ext.classes[argmax], max);
            if (Double.isNaN(logZ) || logZ == Double.POSITIVE_INFINITY) {
                return Sample.NOT_A_NUMBER;   // a NaN or +inf logit elsewhere in the frame spoils its log-softmax
            }
            if (logZ != 0.0) {
                for (int j = 0; j < k; j++) lp[t * k + j] -= logZ;
            }
        }
        LogSpaceForwardBackward.Result r = LogSpaceForwardBackward.run(lp, k, ext, frames, posteriors);
        if (r.logLikelihood == Double.NEGATIVE_INFINITY) {
            return Sample.NO_ALIGNMENT;
        }
        return new Sample(-r.logLikelihood, ext, r.gamma);
    }

    private static double[] grow(double[][] scratch, int size) {
        if (scratch[0].length < size) {
            scratch[0] = new double[Math.max(size, scratch[0].length * 2)];
        }
        return scratch[0];
    }

    /** One sample's result: its NLL and, when asked for, its posteriors per frame and slot. */
    private static final class Sample {
        static final Sample NO_ALIGNMENT = new Sample(Double.POSITIVE_INFINITY, null, null);
        static final Sample NOT_A_NUMBER = new Sample(Double.NaN, null, null);

        final double nll;
        final ExtendedTarget target;
        final double[] gamma;   // [frames][slots]

        Sample(double nll, ExtendedTarget target, double[] gamma) {
            this.nll = nll;
            this.target = target;
            this.gamma = gamma;
        }
    }

    private static final class JavaRun implements CtcKernel.Run {
        private final Sample[] samples;
        private final SoftmaxFrames softmax;
        private final CtcBatch batch;

        JavaRun(Sample[] samples, SoftmaxFrames softmax, CtcBatch batch) {
            this.samples = samples;
            this.softmax = softmax;
            this.batch = batch;
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
        public INDArray scaledSoftmax(double[] factor) {
            return softmax.scaled(factor);
        }

        @Override
        public void subtractPosteriors(INDArray gradientNtc, double[] weights) {
            HostBuffer g = HostBuffer.of(gradientNtc);
            int time = batch.maxTime;
            int classes = batch.numClasses;
            IntStream.range(0, samples.length).parallel().forEach(n -> {
                Sample sample = samples[n];
                if (weights[n] == 0.0 || sample.gamma == null || !Double.isFinite(sample.nll)) {
                    return;
                }
                int[] cls = sample.target.classes;
                int k = cls.length;
                for (int t = 0; t < batch.inputLengths[n]; t++) {
                    long base = ((long) n * time + t) * classes;
                    for (int j = 0; j < k; j++) {
                        long i = base + cls[j];
                        g.put(i, g.get(i) - weights[n] * sample.gamma[t * k + j]);
                    }
                }
            });
        }
    }
}
