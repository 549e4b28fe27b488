package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.zoo.util.GroupedBatchIterator;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Training minibatches synthesised on the fly: {@code numBatches} batches of {@code batchSize} fresh utterances from
 * an {@link UtteranceGenerator}, turned into {@link SpeechFeatures} (see {@link AsrBatches#toDataSet}), grouped by
 * length (see {@link GroupedBatchIterator}).
 */
public final class AsrDataSetIterator extends GroupedBatchIterator<SpeechSample> {

    private static final long serialVersionUID = 1L;

    private final UtteranceGenerator generator;
    private final SpeechFeatures features;

    public AsrDataSetIterator(UtteranceGenerator generator, SpeechFeatures features, CtcVocabulary vocabulary,
                              int batchSize, int numBatches, int bucketBatches, long shuffleSeed) {
        super(vocabulary, batchSize, checkedSteps(numBatches), bucketBatches, shuffleSeed);
        this.generator = generator;
        this.features = features;
    }

    /** Utterance {@code index} of {@code generator} as a network input. */
    public static SpeechSample sample(UtteranceGenerator generator, SpeechFeatures features, long index) {
        Utterance utterance = generator.utterance(index);
        return new SpeechSample(utterance.text(), features.compute(utterance.samples()));
    }

    @Override
    protected List<SpeechSample> samples(long first, int count) {
        List<SpeechSample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(sample(generator, features, first + i));
        }
        return samples;
    }

    @Override
    protected List<List<SpeechSample>> groupedBySize(List<SpeechSample> samples, int batchSize) {
        return AsrBatches.byLength(samples, batchSize);
    }

    @Override
    protected DataSet toDataSet(List<SpeechSample> batch, CtcVocabulary vocabulary) {
        return AsrBatches.toDataSet(batch, vocabulary);
    }

    @Override
    public int inputColumns() {
        return features.dimension();
    }
}
