package io.github.dl4jctc.scaleout.smoke;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small synthetic CTC task for checking a scale-out set-up end to end (workers, executors, serialisation) in
 * seconds: read a string of 1 to {@code maxDigits} decimal digits from noisy one-hot frames.
 * <p>
 * Each digit is shown for 1 to 3 frames; a "gap" frame follows every digit (so that repeated digits stay apart, as
 * CTC needs), then the sequence ends. A frame is a vector of {@value #FRAME_SIZE} values: channel 0 is the gap,
 * channel {@code 1 + d} is digit {@code d}; Gaussian noise of standard deviation {@code noise} is added to every
 * channel. Minibatches hold sequences of different lengths, padded and masked the DL4J way:
 * <ul>
 *   <li>features {@code [N, 11, T]} (NCW), features mask {@code [N, T]};</li>
 *   <li>labels {@code [N, 1, S]}: class indices of {@link #VOCABULARY} (blank 0, digit {@code d} is class
 *   {@code d + 1}) in the time-series shape that {@code DataSet.merge} pads, which Spark's re-batching needs; labels
 *   mask {@code [N, S]}.</li>
 * </ul>
 * The sequence of minibatches depends only on the seed.
 */
public final class DigitSequences {

    /** The ten digits; class 0 is the blank. */
    public static final CtcVocabulary VOCABULARY = CtcVocabulary.ofCharacters("0123456789");
    /** Channels of one input frame: the gap and the ten digits. */
    public static final int FRAME_SIZE = 11;
    private static final int MAX_FRAMES_PER_DIGIT = 3;

    private final int maxDigits;
    private final double noise;

    /**
     * @param maxDigits longest digit string, at least 1
     * @param noise     standard deviation of the Gaussian noise added to every input value, {@code >= 0}
     */
    public DigitSequences(int maxDigits, double noise) {
        if (maxDigits < 1) {
            throw new IllegalArgumentException("maxDigits: got " + maxDigits + ", expected at least 1");
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise: got " + noise + ", expected a finite value >= 0");
        }
        this.maxDigits = maxDigits;
        this.noise = noise;
    }

    /**
     * @param numBatches number of minibatches, at least 1
     * @param batchSize  sequences per minibatch, at least 1
     * @param seed       the random seed; equal seeds give equal minibatches
     * @return {@code numBatches} minibatches of FLOAT arrays (shapes in the class comment)
     */
    public List<DataSet> batches(int numBatches, int batchSize, long seed) {
        if (numBatches < 1 || batchSize < 1) {
            throw new IllegalArgumentException("numBatches and batchSize: got " + numBatches + " and " + batchSize
                    + ", expected at least 1 each");
        }
        Random random = new Random(seed);
        List<DataSet> batches = new ArrayList<>(numBatches);
        for (int b = 0; b < numBatches; b++) {
            List<Sequence> sequences = new ArrayList<>(batchSize);
            for (int n = 0; n < batchSize; n++) {
                sequences.add(Sequence.random(random, maxDigits));
            }
            batches.add(toDataSet(sequences, random));
        }
        return batches;
    }

    private DataSet toDataSet(List<Sequence> sequences, Random random) {
        int n = sequences.size();
        int maxFrames = sequences.stream().mapToInt(s -> s.frameChannels.length).max().orElseThrow();
        int maxLabels = sequences.stream().mapToInt(s -> s.digits.length).max().orElseThrow();
        float[][][] features = new float[n][FRAME_SIZE][maxFrames];
        float[][] featuresMask = new float[n][maxFrames];
        float[][][] labels = new float[n][1][maxLabels];
        float[][] labelsMask = new float[n][maxLabels];
        for (int i = 0; i < n; i++) {
            Sequence s = sequences.get(i);
            for (int t = 0; t < s.frameChannels.length; t++) {
                for (int c = 0; c < FRAME_SIZE; c++) {
                    double value = (c == s.frameChannels[t] ? 1.0 : 0.0) + noise * random.nextGaussian();
                    features[i][c][t] = (float) value;
                }
                featuresMask[i][t] = 1f;
            }
            for (int k = 0; k < s.digits.length; k++) {
                labels[i][0][k] = s.digits[k] + 1; // class of digit d; padding stays 0 = blank, masked out
                labelsMask[i][k] = 1f;
            }
        }
        return new DataSet(Nd4j.createFromArray(features), Nd4j.createFromArray(labels),
                Nd4j.createFromArray(featuresMask), Nd4j.createFromArray(labelsMask));
    }

    /** One example: its digits and, per frame, the channel that is "on". */
    private static final class Sequence {
        final int[] digits;
        final int[] frameChannels;

        private Sequence(int[] digits, int[] frameChannels) {
            this.digits = digits;
            this.frameChannels = frameChannels;
        }

        static Sequence random(Random random, int maxDigits) {
            int[] digits = new int[1 + random.nextInt(maxDigits)];
            List<Integer> channels = new ArrayList<>();
            for (int k = 0; k < digits.length; k++) {
                digits[k] = random.nextInt(10);
                int repeats = 1 + random.nextInt(MAX_FRAMES_PER_DIGIT);
                for (int r = 0; r < repeats; r++) {
                    channels.add(1 + digits[k]);
                }
                channels.add(0);
            }
            return new Sequence(digits, channels.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
