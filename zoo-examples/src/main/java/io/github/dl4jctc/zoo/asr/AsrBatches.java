package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.zoo.util.SequenceMasks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns speech samples into DataSets for {@link SpeechModel}. */
public final class AsrBatches {

    private AsrBatches() {
    }

    /**
     * @return features {@code [N, F, T]} (zero-padded to the longest), features mask {@code [N, T]}, labels
     *         {@code [N, S]} and labels mask {@code [N, S]}
     */
    public static DataSet toDataSet(List<SpeechSample> samples, CtcVocabulary vocabulary) {
        List<String> texts = new ArrayList<>(samples.size());
        for (SpeechSample sample : samples) {
            texts.add(sample.text());
        }
        CtcVocabulary.LabelBatch labels = vocabulary.toLabels(texts, DataType.FLOAT);
        return new DataSet(features(samples), labels.labels(), featuresMask(samples), labels.mask());
    }

    /** @return {@code [N, F, T]}: sample n's step t in column t, zeros after its last step */
    public static INDArray features(List<SpeechSample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples: got none, expected at least one sample");
        }
        int dimension = samples.get(0).features()[0].length;
        int steps = maxSteps(samples);
        float[] data = new float[samples.size() * dimension * steps];
        for (int n = 0; n < samples.size(); n++) {
            float[][] features = samples.get(n).features();
            for (int t = 0; t < features.length; t++) {
                if (features[t].length != dimension) {
                    throw new IllegalArgumentException("samples: got " + features[t].length + " features at sample "
                            + n + ", step " + t + ", expected " + dimension + " (as sample 0)");
                }
                for (int f = 0; f < dimension; f++) {
                    data[(n * dimension + f) * steps + t] = features[t][f];
                }
            }
        }
        return Nd4j.create(data, new long[]{samples.size(), dimension, steps}, 'c');
    }

    /** @return {@code [N, T]}: 1 for each sample's own steps */
    public static INDArray featuresMask(List<SpeechSample> samples) {
        int[] lengths = new int[samples.size()];
        for (int n = 0; n < lengths.length; n++) {
            lengths[n] = samples.get(n).steps();
        }
        return SequenceMasks.ofLengths(lengths, maxSteps(samples));
    }

    /** Sorts by length and cuts into minibatches of {@code batchSize} (the last may be smaller). */
    public static List<List<SpeechSample>> byLength(List<SpeechSample> samples, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: got " + batchSize + ", expected at least 1");
        }
        List<SpeechSample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparingInt(SpeechSample::steps));
        List<List<SpeechSample>> batches = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += batchSize) {
            batches.add(List.copyOf(sorted.subList(i, Math.min(sorted.size(), i + batchSize))));
        }
        return batches;
    }

    private static int maxSteps(List<SpeechSample> samples) {
        int steps = 0;
        for (SpeechSample sample : samples) {
            steps = Math.max(steps, sample.steps());
        }
        return steps;
    }
}
