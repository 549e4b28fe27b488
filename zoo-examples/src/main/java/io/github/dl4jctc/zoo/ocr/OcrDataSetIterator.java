package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.zoo.util.Seeds;
import io.github.dl4jctc.zoo.util.TrainingBudget;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Training minibatches rendered on the fly: batches of {@code batchSize} fresh samples from an
 * {@link OcrSampleGenerator} (see {@link OcrBatches#toDataSet} for the arrays) until the {@link TrainingBudget} is
 * used up (a number of batches, or a time: then the last batch is the one asked for before the time ran out).
 *
 * <p>Samples are made {@code bucketBatches} batches at a time and grouped by width, so that a batch holds lines of
 * similar widths and little padding; the order of the batches of a group is then shuffled. The sequence of batches
 * depends only on the generator's seed and this iterator's arguments; {@link #reset()} replays it.
 */
public final class OcrDataSetIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final OcrSampleGenerator generator;
    private final CtcVocabulary vocabulary;
    private final int batchSize;
    private final TrainingBudget budget;
    private final int bucketBatches;
    private final long shuffleSeed;
    private final Deque<List<OcrSample>> pending = new ArrayDeque<>();
    private int produced;
    private long nextSample;
    private int group;
    private DataSetPreProcessor preProcessor;

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
        if (batchSize < 1 || bucketBatches < 1) {
            throw new IllegalArgumentException("batchSize and bucketBatches must be at least 1, got "
                    + batchSize + " and " + bucketBatches);
        }
        this.generator = generator;
        this.vocabulary = vocabulary;
        this.batchSize = batchSize;
        this.budget = budget;
        this.bucketBatches = bucketBatches;
        this.shuffleSeed = shuffleSeed;
    }

    private static TrainingBudget checkedSteps(int numBatches) {
        if (numBatches < 1) {
            throw new IllegalArgumentException("numBatches must be at least 1, got " + numBatches);
        }
        return TrainingBudget.steps(numBatches);
    }

    @Override
    public boolean hasNext() {
        return !budget.exhausted(produced);
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the budget (" + budget + ") is used up after " + produced
                    + " minibatches; call reset()");
        }
        if (pending.isEmpty()) {
            fillGroup();
        }
        produced++;
        DataSet dataSet;
        // DL4J's fit(iterator) prefetches through an AsyncDataSetIterator whose thread opens a cyclic workspace
        // sized on the first minibatches; minibatches of other shapes later wrapped around it and overwrote arrays
        // still in use (seen as a labels mask holding feature values). So the arrays are made outside workspaces.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            dataSet = OcrBatches.toDataSet(pending.poll(), vocabulary);
        }
        if (preProcessor != null) {
            preProcessor.preProcess(dataSet);
        }
        return dataSet;
    }

    private void fillGroup() {
        int batches = (int) Math.min(bucketBatches, budget.maxSteps() - produced);
        List<OcrSample> samples = generator.samples(nextSample, batches * batchSize);
        nextSample += samples.size();
        List<List<OcrSample>> grouped = new ArrayList<>(OcrBatches.byWidth(samples, batchSize));
        Collections.shuffle(grouped, new java.util.Random(Seeds.forItem(shuffleSeed, group++).nextLong()));
        pending.addAll(grouped);
    }

    /** Not supported: the batch size is fixed at construction. */
    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("next(int) is not supported; batch size is fixed at " + batchSize);
    }

    @Override
    public int inputColumns() {
        return generator.renderer().height();
    }

    @Override
    public int totalOutcomes() {
        return vocabulary.size();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void reset() {
        pending.clear();
        produced = 0;
        nextSample = 0;
        group = 0;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
