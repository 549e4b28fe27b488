package io.github.dl4jctc.zoo.util;

import io.github.dl4jctc.layer.CtcVocabulary;
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
 * Training minibatches made on the fly, for as long as a {@link TrainingBudget} lasts: samples are made
 * {@code bucketBatches} batches at a time and grouped by size (so a batch holds samples of similar length and
 * little padding), then the batches of a group are shuffled. The sequence depends only on the samples' source,
 * the seeds and the arguments; {@link #reset()} replays it.
 *
 * @param <S> one sample (an image line, an utterance)
 */
public abstract class GroupedBatchIterator<S> implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final CtcVocabulary vocabulary;
    private final int batchSize;
    private final TrainingBudget budget;
    private final int bucketBatches;
    private final long shuffleSeed;
    private final Deque<List<S>> pending = new ArrayDeque<>();
    private int produced;
    private long nextSample;
    private int group;
    private DataSetPreProcessor preProcessor;

    /**
     * @param vocabulary    character classes for the labels
     * @param batchSize     samples per minibatch
     * @param budget        minibatches or time to produce for (its clock is started by the caller)
     * @param bucketBatches minibatches made and grouped by size together (1 = no grouping)
     * @param shuffleSeed   seed for the order of the batches of a group
     */
    protected GroupedBatchIterator(CtcVocabulary vocabulary, int batchSize, TrainingBudget budget, int bucketBatches,
                                   long shuffleSeed) {
        if (batchSize < 1 || bucketBatches < 1) {
            throw new IllegalArgumentException("batchSize, bucketBatches: got " + batchSize + ", "
                    + bucketBatches + ", expected at least 1 each");
        }
        this.vocabulary = vocabulary;
        this.batchSize = batchSize;
        this.budget = budget;
        this.bucketBatches = bucketBatches;
        this.shuffleSeed = shuffleSeed;
    }

    /** A budget of {@code numBatches} minibatches, refusing fewer than one. */
    protected static TrainingBudget checkedSteps(int numBatches) {
        if (numBatches < 1) {
            throw new IllegalArgumentException("numBatches: got " + numBatches + ", expected at least 1");
        }
        return TrainingBudget.steps(numBatches);
    }

    /** Samples {@code first} to {@code first + count - 1} of the source. */
    protected abstract List<S> samples(long first, int count);

    /** {@code samples} in batches of {@code batchSize}, each holding samples of similar size. */
    protected abstract List<List<S>> groupedBySize(List<S> samples, int batchSize);

    /** One minibatch's arrays. */
    protected abstract DataSet toDataSet(List<S> batch, CtcVocabulary vocabulary);

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
            dataSet = toDataSet(pending.poll(), vocabulary);
        }
        if (preProcessor != null) {
            preProcessor.preProcess(dataSet);
        }
        return dataSet;
    }

    private void fillGroup() {
        int batches = (int) Math.min(bucketBatches, budget.maxSteps() - produced);
        List<S> samples = samples(nextSample, batches * batchSize);
        nextSample += samples.size();
        List<List<S>> grouped = new ArrayList<>(groupedBySize(samples, batchSize));
        Collections.shuffle(grouped, new java.util.Random(Seeds.forItem(shuffleSeed, group++).nextLong()));
        pending.addAll(grouped);
    }

    /** Not supported: the batch size is fixed at construction. */
    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("next(int) is not supported; batch size is fixed at " + batchSize);
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
