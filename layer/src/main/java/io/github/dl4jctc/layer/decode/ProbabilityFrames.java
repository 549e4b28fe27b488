package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcMasks;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * A checked view of a CTC output minibatch: per-frame class probabilities {@code [N, C, T]} (NCW) or
 * {@code [N, T, C]} (NWC) plus the frame counts from the features mask. Hands out one sample at a time as
 * row-major {@code [frames, C]} natural-log probabilities, so a minibatch is never copied whole into Java memory.
 */
final class ProbabilityFrames {

    private final INDArray probabilities;
    private final RNNFormat format;
    private final int numSamples;
    private final int numClasses;
    private final int[] frames;

    private ProbabilityFrames(INDArray probabilities, RNNFormat format, int numClasses, int[] frames) {
        this.probabilities = probabilities;
        this.format = format;
        this.numSamples = frames.length;
        this.numClasses = numClasses;
        this.frames = frames;
    }

    /**
     * @throws IllegalArgumentException if {@code probabilities} is not rank 3 floating point, has no room for
     *                                  {@code blankIndex}, or the mask does not match {@code [N, T]}
     */
    static ProbabilityFrames of(INDArray probabilities, INDArray featuresMask, RNNFormat format, int blankIndex) {
        if (probabilities == null) {
            throw new IllegalArgumentException("probabilities: got null, expected per-frame class probabilities");
        }
        String layout = format == RNNFormat.NCW ? "[N, C, T]" : "[N, T, C]";
        if (probabilities.rank() != 3) {
            throw new IllegalArgumentException("probabilities: got shape " + Arrays.toString(probabilities.shape())
                    + ", expected rank 3 " + layout + " (" + format + ")");
        }
        if (!probabilities.dataType().isFPType()) {
            throw new IllegalArgumentException("probabilities: got data type " + probabilities.dataType()
                    + ", expected a floating-point type");
        }
        long n = probabilities.size(0);
        long c = probabilities.size(format == RNNFormat.NCW ? 1 : 2);
        long t = probabilities.size(format == RNNFormat.NCW ? 2 : 1);
        if (blankIndex >= c) {
            throw new IllegalArgumentException("probabilities: got C = " + c + " in shape "
                    + Arrays.toString(probabilities.shape()) + " " + layout + " (" + format
                    + "), expected more than blankIndex = " + blankIndex + " classes");
        }
        int[] frames = CtcMasks.prefixLengths(featuresMask, "featuresMask", n, t);
        return new ProbabilityFrames(probabilities, format, Math.toIntExact(c), frames);
    }

    int numSamples() {
        return numSamples;
    }

    int numClasses() {
        return numClasses;
    }

    int frames(int sample) {
        return frames[sample];
    }

    /**
     * @return {@code [frames(sample) * C]}, entry {@code t * C + c} = ln p(class c at frame t)
     * @throws IllegalArgumentException if a probability is negative or NaN, or a valid frame sums to 0
     */
    double[] logProbabilities(int sample) {
        int length = frames[sample];
        if (length == 0) {
            return new double[0];
        }
        // One contiguous copy of the sample in its own layout, transposed here in Java: a strided,
        // type-converting assign of the transposed view is an order of magnitude slower (docs/benchmarks.md).
        double[] raw = probabilities.slice(sample).dup('c').data().asDouble();   // [C, T] or [T, C]
        int totalFrames = raw.length / numClasses;
        double[] values = new double[length * numClasses];
        for (int t = 0; t < length; t++) {
            double frameSum = 0;
            for (int c = 0; c < numClasses; c++) {
                double p = format == RNNFormat.NCW ? raw[c * totalFrames + t] : raw[t * numClasses + c];
                if (!(p >= 0) || p == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("probabilities: got " + p + " at sample " + sample
                            + ", frame " + t + ", class " + c + ", expected finite non-negative per-frame class"
                            + " probabilities (softmax output, not logits or log-probabilities)");
                }
                frameSum += p;
                values[t * numClasses + c] = Math.log(p);
            }
            if (frameSum == 0) {
                throw new IllegalArgumentException("probabilities: got all 0 at sample " + sample + ", frame "
                        + t + ", expected a probability distribution: the frame lies within the sample's " + length
                        + " valid frames (featuresMask); mark masked frames in featuresMask");
            }
        }
        return values;
    }
}
