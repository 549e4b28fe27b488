package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.zoo.util.GroupedBatchIterator;
import io.github.dl4jctc.zoo.util.TrainingBudget;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * Training minibatches rendered on the fly: batches of {@code batchSize} fresh samples from an
 * {@link OcrSampleGenerator} (see {@link OcrBatches#toDataSet} for the arrays) until the {@link TrainingBudget} is
 * used up (a number of batches, or a time: then the last batch is the one asked for before the time ran out),
 * grouped by width (see {@link GroupedBatchIterator}).
 */
public final class OcrDataSetIterator extends GroupedBatchIterator<OcrSample> {

    private static final long serialVersionUID = 1L;

    private final OcrSampleGenerator generator;

    /**
     * @param generator     where samples come from
     * @param vocabulary    character classes for the labels
     * @param batchSize     samples per minibatch
     * @param numBatches    minibatches per pass
     * @param bucketBatches minibatches rendered and grouped by width together (1 = no grouping)
     * @param shuffleSeed   seed for the order of the batches of a group
     */
    public OcrDataSetIterator(OcrSampleGenerator generator, CtcVocabulary vocabulary, int batchSize, int numBatches,
                              int bucketBatches, long shuffleSeed) {
        this(generator, vocabulary, batchSize, checkedSteps(numBatches), bucketBatches, shuffleSeed);
    }

    /**
     * As {@link #OcrDataSetIterator(OcrSampleGenerator, CtcVocabulary, int, int, int, long)}, for as long as
     * {@code budget} lasts (its clock is started by the caller).
     */
    public OcrDataSetIterator(OcrSampleGenerator generator, CtcVocabulary vocabulary, int batchSize,
                              TrainingBudget budget, int bucketBatches, long shuffleSeed) {
        super(vocabulary, batchSize, budget, bucketBatches, shuffleSeed);
        this.generator = generator;
    }

    @Override
    protected List<OcrSample> samples(long first, int count) {
        return generator.samples(first, count);
    }

    @Override
    protected List<List<OcrSample>> groupedBySize(List<OcrSample> samples, int batchSize) {
        return OcrBatches.byWidth(samples, batchSize);
    }

    @Override
    protected DataSet toDataSet(List<OcrSample> batch, CtcVocabulary vocabulary) {
        return OcrBatches.toDataSet(batch, vocabulary);
    }

    @Override
    public int inputColumns() {
        return generator.renderer().height();
    }
}
