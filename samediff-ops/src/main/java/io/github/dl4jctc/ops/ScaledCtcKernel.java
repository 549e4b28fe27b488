package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.stream.IntStream;

/**
 * The CPU kernel: CTC's forward-backward in scaled probability space, in Java, one sample per task.
 * <p>
 * Why it is fast: libnd4j's kernel does log-space work (an exp and a log per log-add) and touches all C classes
 * of every frame; here each frame's emissions are read only for the blank and the sample's distinct labels
 * ({@link ExtendedTarget}), turned into probabilities relative to the frame's largest one (so none of them
 * underflows as a whole), and alpha / beta are renormalised every frame (Rabiner's scaling), which leaves only
 * multiply-adds in the recursions. The loss is recovered from the log of the normalisers; each frame's label
 * posteriors are alpha * beta normalised over the frame, which needs no scale bookkeeping at all. Everything
 * is double precision whatever the input type.
 * <p>
 * A sample whose mass vanishes in a frame (a -inf log-probability on every live path, or an underflow below
 * 1e-308 relative to the frame's best label) is handed to libnd4j's log-space kernel, which decides.
 * The dense half of a logits gradient, the softmax, is {@link SoftmaxFrames}'.
 */
final class ScaledCtcKernel implements CtcKernel {
    static final ScaledCtcKernel INSTANCE = new ScaledCtcKernel();

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[1][0]);

    private ScaledCtcKernel() {
    }

    @Override
    public Run run(NtcScores scores, CtcBatch batch, boolean posteriors) {
        SoftmaxFrames softmax = scores.logits ? new SoftmaxFrames(scores.values, batch) : null;
        Emissions emissions = new Emissions(scores, softmax, batch);
        Sample[] samples = new Sample[batch.batchSize];
        IntStream.range(0, batch.batchSize).parallel()
                .forEach(n -> samples[n] = sample(emissions, batch, n, posteriors));
        CtcKernel.Run[] fallbacks = new CtcKernel.Run[batch.batchSize];
        for (int n = 0; n < batch.batchSize; n++) {
            if (samples[n] == Sample.MASS_VANISHED) {
                fallbacks[n] = LibNd4jCtcKernel.INSTANCE.run(new NtcScores(oneSample(scores.values, n), scores.logits),
                        batch.sample(n), posteriors);
            }
        }
        return new ScaledRun(samples, fallbacks, softmax, batch);
    }

    private static INDArray oneSample(INDArray ntc, int n) {
        return ntc.get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
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

        /**
         * For logits, writes the frame's softmax values of the given classes to {@code y[at..]} and returns true,
         * unless one of them is too small to be trusted (or NaN), in which case the caller goes through log Z.
         */
        boolean softmaxEmissions(int n, int t, int[] cls, double[] y, int at) {
            if (softmax == null) {
                return false;
            }
            for (int j = 0; j < cls.length; j++) {
                double p = softmax.probability(n, t, cls[j]);
                if (!(p >= SoftmaxFrames.SMALLEST_TRUSTED)) {
                    return false;
                }
                y[at + j] = p;
            }
            return true;
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
        double[] y = grow(SCRATCH.get(), frames * k);
        double logScale = 0;
        for (int t = 0; t < frames; t++) {
            if (e.softmaxEmissions(n, t, ext.classes, y, t * k)) {
                continue;   // probabilities taken as they are: no scale to add
            }
            double max = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int j = 0; j < k; j++) {
                double v = e.score(n, t, ext.classes[j]);
                if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                    return Sample.NOT_A_NUMBER;
                }
                y[t * k + j] = v;
                if (v > max) {
                    max = v;
                    argmax = j;
                }
            }
            if (max == Double.NEGATIVE_INFINITY) {
                return Sample.MASS_VANISHED;
            }
            double logZ = e.logNormaliser(n, t, ext.classes[argmax], max);
            if (Double.isNaN(logZ) || logZ == Double.POSITIVE_INFINITY) {
                return Sample.NOT_A_NUMBER;   // a NaN or +inf logit elsewhere in the frame spoils its log-softmax
            }
            for (int j = 0; j < k; j++) {
                y[t * k + j] = Math.exp(y[t * k + j] - max);
            }
            logScale += max - logZ;
        }

        ScaledForwardBackward.Result r = ScaledForwardBackward.run(y, k, ext, frames, posteriors);
        if (r.logLikelihood == Double.NEGATIVE_INFINITY) {
            return Sample.MASS_VANISHED;
        }
        return new Sample(-(r.logLikelihood + logScale), ext, r.gamma);
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
        static final Sample MASS_VANISHED = new Sample(Double.NaN, null, null);

        final double nll;
        final ExtendedTarget target;
        final double[] gamma;   // [frames][slots]

        Sample(double nll, ExtendedTarget target, double[] gamma) {
            this.nll = nll;
            this.target = target;
            this.gamma = gamma;
        }
    }

    private static final class ScaledRun implements CtcKernel.Run {
        private final Sample[] samples;
        private final CtcKernel.Run[] fallbacks;
        private final SoftmaxFrames softmax;
        private final CtcBatch batch;

        ScaledRun(Sample[] samples, CtcKernel.Run[] fallbacks, SoftmaxFrames softmax, CtcBatch batch) {
            this.samples = samples;
            this.fallbacks = fallbacks;
            this.softmax = softmax;
            this.batch = batch;
        }

        @Override
        public INDArray scaledSoftmax(double[] factor) {
            return softmax.scaled(factor);
        }

        @Override
        public double[] losses() {
            double[] out = new double[samples.length];
            for (int n = 0; n < out.length; n++) {
                out[n] = fallbacks[n] != null ? fallbacks[n].losses()[0] : samples[n].nll;
            }
            return out;
        }

        @Override
        public void subtractPosteriors(INDArray gradientNtc, double[] weights) {
            HostBuffer g = HostBuffer.of(gradientNtc);
            int time = batch.maxTime;
            int classes = batch.numClasses;
            IntStream.range(0, samples.length).parallel().forEach(n -> {
                if (weights[n] == 0.0) {
                    return;
                }
                if (fallbacks[n] != null) {
                    INDArray slice = gradientNtc.get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.all(),
                            NDArrayIndex.all());
                    fallbacks[n].subtractPosteriors(slice, new double[]{weights[n]});
                    return;
                }
                Sample sample = samples[n];
                if (sample.gamma == null || !Double.isFinite(sample.nll)) {
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
