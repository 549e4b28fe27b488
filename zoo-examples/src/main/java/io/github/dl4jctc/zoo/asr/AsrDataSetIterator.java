package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.zoo.util.Seeds;
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
 * Training minibatches synthesised on the fly: {@code numBatches} batches of {@code batchSize} fresh utterances from
 * an {@link UtteranceGenerator}, turned into {@link SpeechFeatures} (see {@link AsrBatches#toDataSet}).
 *
 * <p>Utterances are made {@code bucketBatches} batches at a time and grouped by length (less padding); the order of
 * the batches of a group is then shuffled. The sequence depends only on the seeds and the arguments;
 * {@link #reset()} replays it.
 */
public final class AsrDataSetIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final UtteranceGenerator generator;
    private final SpeechFeatures features;
    private final CtcVocabulary vocabulary;
    private final int batchSize;
    private final int numBatches;
    private final int bucketBatches;
    private final long shuffleSeed;
    private final Deque<List<SpeechSample>> pending = new ArrayDeque<>();
    private int produced;
    private long nextUtterance;
    private int group;
    private DataSetPreProcessor preProcessor;

    public AsrDataSetIterator(UtteranceGenerator generator, SpeechFeatures features, CtcVocabulary vocabulary,
                              int batchSize, int numBatches, int bucketBatches, long shuffleSeed) {
        if (batchSize < 1 || numBatches < 1 || bucketBatches < 1) {
            throw new IllegalArgumentException("batchSize, numBatches and bucketBatches must be at least 1, got "
                    + batchSize + ", " + numBatches + ", " + bucketBatches);
        }
        this.generator = generator;
        this.features = features;
        this.vocabulary = vocabulary;
        this.batchSize = batchSize;
        this.numBatches = numBatches;
        this.bucketBatches = bucketBatches;
        this.shuffleSeed = shuffleSeed;
    }

    /** Utterance {@code index} of {@code generator} as a network input. */
    public static SpeechSample sample(UtteranceGenerator generator, SpeechFeatures features, long index) {
        Utterance utterance = generator.utterance(index);
        return new SpeechSample(utterance.text(), features.compute(utterance.samples()));
    }

    @Override
    public boolean hasNext() {
        return produced < numBatches;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + numBatches + " minibatches were returned; call reset()");
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
            dataSet = AsrBatches.toDataSet(pending.poll(), vocabulary);
        }
        if (preProcessor != null) {
            preProcessor.preProcess(dataSet);
        }
        return dataSet;
    }

    private void fillGroup() {
        int count = Math.min(bucketBatches, numBatches - produced) * batchSize;
        List<SpeechSample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(sample(generator, features, nextUtterance++));
        }
        List<List<SpeechSample>> grouped = new ArrayList<>(AsrBatches.byLength(samples, batchSize));
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
        return features.dimension();
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
        nextUtterance = 0;
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
