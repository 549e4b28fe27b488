package io.github.dl4jctc.scaleout;

import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.layer.CtcOutputLayerImpl;
import io.github.dl4jctc.layer.eval.CtcEvaluation;
import io.github.dl4jctc.scaleout.smoke.DigitSequenceNetwork;
import io.github.dl4jctc.scaleout.smoke.DigitSequences;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ParallelTraining} on the {@link DigitSequences} task: LSTM -> CtcOutputLayer with 2 worker threads. */
class ParallelTrainingTest {

    private static final DigitSequences TASK = new DigitSequences(4, 0.2);
    private static final int TRAIN_BATCHES = 24;

    private final List<DataSet> train = TASK.batches(TRAIN_BATCHES, 16, 1);
    private final List<DataSet> heldOut = TASK.batches(4, 32, 2);

    @Test
    void twoWorkersTrainACtcNetwork() {
        MultiLayerNetwork net = DigitSequenceNetwork.create(32, 0.05, 7);
        IterationsByThread iterations = new IterationsByThread();
        net.setListeners(iterations);
        double before = meanScore(net, heldOut);
        int epochs = 8;

        long start = System.nanoTime();
        // Prefetched in a background thread, as ParallelWrapper does for iterators that allow it (the OCR example's).
        new ParallelTraining.Builder().workers(2).averagingFrequency(2).prefetchBuffer(2).build()
                .fit(net, new PrefetchableIterator(train), epochs);
        double seconds = (System.nanoTime() - start) / 1e9;

        double after = meanScore(net, heldOut);
        CtcEvaluation evaluation = net.doEvaluation(new ExistingDataSetIterator(heldOut),
                new CtcEvaluation(DigitSequences.VOCABULARY, RNNFormat.NCW))[0];
        System.out.printf("2 workers, %d epochs in %.1f s: held-out loss %.3f -> %.3f, CER %.3f, sequence accuracy"
                        + " %.3f; iterations by thread %s%n", epochs, seconds, before, after,
                evaluation.characterErrorRate(), evaluation.sequenceAccuracy(), iterations.counts);

        assertTrue(after < 0.05 * before, "held-out CTC loss " + before + " -> " + after);
        assertTrue(evaluation.characterErrorRate() < 0.05, evaluation.stats());
        // Both workers trained, and every minibatch of every epoch was trained exactly once.
        assertEquals(2, iterations.counts.size(), "threads that trained: " + iterations.counts);
        assertEquals(epochs * TRAIN_BATCHES, iterations.total(), "iterations by thread: " + iterations.counts);
        assertEquals(epochs, net.getEpochCount());
        assertEquals(List.of(iterations), List.copyOf(net.getListeners()), "the network's listeners are restored");
        assertTrue(net.getLayer(1) instanceof CtcOutputLayerImpl);
    }

    @Test
    void twoWorkersTrainAComputationGraphWithoutWorkspaces() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(0.05))
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder()
                .addInputs("frames")
                .setInputTypes(InputType.recurrent(DigitSequences.FRAME_SIZE, RNNFormat.NCW))
                .addLayer("lstm", new LSTM.Builder().nOut(32).build(), "frames")
                .addLayer("ctc", new CtcOutputLayer.Builder()
                        .nOut(DigitSequences.VOCABULARY.size()).build(), "lstm")
                .setOutputs("ctc")
                .build());
        graph.init();
        double before = meanScore(graph, heldOut);

        new ParallelTraining.Builder().workers(2).averagingFrequency(3).prefetchBuffer(0).build()
                .fit(graph, new ExistingDataSetIterator(train), 3);

        double after = meanScore(graph, heldOut);
        assertTrue(after < 0.5 * before, "held-out CTC loss " + before + " -> " + after);
        assertSame(WorkspaceMode.NONE, graph.getConfiguration().getTrainingWorkspaceMode(),
                "the network's workspace mode is kept, not replaced by ParallelWrapper's default");
    }

    @Test
    void oneWorkerTrainsOnTheCallingThread() {
        MultiLayerNetwork net = DigitSequenceNetwork.create(16, 0.02, 7);
        IterationsByThread iterations = new IterationsByThread();
        net.setListeners(iterations);
        double before = meanScore(net, heldOut);

        new ParallelTraining.Builder().workers(1).build().fit(net, new ExistingDataSetIterator(train), 1);

        assertEquals(Map.of(Thread.currentThread().getName(), TRAIN_BATCHES), iterations.snapshot());
        assertTrue(meanScore(net, heldOut) < before);
    }

    @Test
    void aConfigurationThatJacksonCannotReadBackIsRefusedBeforeTraining() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nIn(DigitSequences.FRAME_SIZE).nOut(4).build())
                .layer(new CtcOutputLayer.Builder().nIn(4).nOut(11).build())
                .inputPreProcessor(1, new UnreadablePreProcessor(4))
                .build());
        net.init();
        double[] paramsBefore = net.params().toDoubleVector();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new ParallelTraining.Builder().workers(2).build().fit(net, new ExistingDataSetIterator(train), 1));
        assertTrue(e.getMessage().startsWith("network: its configuration JSON cannot be read back"), e.getMessage());
        assertArrayEquals(paramsBefore, net.params().toDoubleVector(), "nothing was trained");
    }

    @Test
    void badArgumentsAreRefusedByName() {
        assertMessageStartsWith("workers: got 0", () -> new ParallelTraining.Builder().workers(0));
        assertMessageStartsWith("averagingFrequency: got 0",
                () -> new ParallelTraining.Builder().averagingFrequency(0));
        assertMessageStartsWith("prefetchBuffer: got -1", () -> new ParallelTraining.Builder().prefetchBuffer(-1));

        ParallelTraining training = new ParallelTraining.Builder().workers(2).build();
        MultiLayerNetwork net = DigitSequenceNetwork.create(4, 0.01, 1);
        assertMessageStartsWith("network: got null",
                () -> training.fit(null, new ExistingDataSetIterator(train), 1));
        assertMessageStartsWith("epochs: got 0", () -> training.fit(net, new ExistingDataSetIterator(train), 0));
        assertMessageStartsWith("data: got null", () -> training.fit(net, null, 1));
        assertMessageStartsWith("data: org.deeplearning4j.datasets.iterator.ExistingDataSetIterator cannot be reset",
                () -> training.fit(net, new ExistingDataSetIterator(train.iterator()), 2));
    }

    private static void assertMessageStartsWith(String prefix, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    /** Mean minibatch loss (reduction MEAN: per-label NLL, averaged over examples). */
    static double meanScore(Model net, List<DataSet> batches) {
        double sum = 0;
        for (DataSet batch : batches) {
            sum += net instanceof MultiLayerNetwork
                    ? ((MultiLayerNetwork) net).score(batch)
                    : ((ComputationGraph) net).score(batch);
        }
        return sum / batches.size();
    }

    /** An in-memory iterator that lets ParallelWrapper prefetch (ExistingDataSetIterator says it need not). */
    private static final class PrefetchableIterator extends ExistingDataSetIterator {
        PrefetchableIterator(List<DataSet> batches) {
            super(batches);
        }

        @Override
        public boolean asyncSupported() {
            return true;
        }
    }

    /** Counts training iterations per thread; ParallelWrapper hands the same instance to every worker. */
    private static final class IterationsByThread extends BaseTrainingListener {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            counts.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger()).incrementAndGet();
        }

        int total() {
            return counts.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        Map<String, Integer> snapshot() {
            Map<String, Integer> copy = new HashMap<>();
            counts.forEach((k, v) -> copy.put(k, v.get()));
            return copy;
        }
    }
}
