package io.github.dl4jctc.scaleout;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Trains a {@link MultiLayerNetwork} or {@link ComputationGraph} (a {@code CtcOutputLayer} network, for instance) on
 * several threads of one machine with DL4J's {@link ParallelWrapper}, by parameter averaging.
 * <p>
 * How ParallelWrapper (M2.1) trains, which decides what the network holds afterwards:
 * <ul>
 *   <li>Worker 0 trains the given network itself; workers 1..N-1 train copies built from its configuration JSON
 *   (checked first, see {@link ConfigurationJson#requireRoundTrip}) with its parameters and updater state.</li>
 *   <li>A round gives one minibatch to each worker. Every {@code averagingFrequency} rounds the parameters and the
 *   updater state (Adam's moments, ...) of the workers are averaged and copied to all of them, and the network's
 *   {@code score()} becomes the mean of the workers' last minibatch scores.</li>
 *   <li>So after {@link #fit} the network holds the last average, plus whatever worker 0 trained after it when an
 *   epoch's rounds are not a multiple of {@code averagingFrequency}.</li>
 * </ul>
 * With {@code workers(1)} the network is simply trained with its own {@code fit}, with no threads.
 * <p>
 * Each round trains N minibatches at once, so one epoch takes about 1/N of the updates of single-threaded training;
 * it pays off when a minibatch is large enough that N of them in parallel keep N cores (or devices) busy. Listeners
 * set on the network see the iterations of every worker (ParallelWrapper hands them to the workers); DL4J does not
 * call their {@code onEpochStart}/{@code onEpochEnd} here.
 *
 * <pre>{@code
 * ParallelTraining training = new ParallelTraining.Builder().workers(4).averagingFrequency(3).build();
 * training.fit(network, trainIterator, epochs);
 * }</pre>
 */
public final class ParallelTraining {

    private final int workers;
    private final int averagingFrequency;
    private final int prefetchBuffer;

    private ParallelTraining(Builder builder) {
        this.workers = builder.workers;
        this.averagingFrequency = builder.averagingFrequency;
        this.prefetchBuffer = builder.prefetchBuffer;
    }

    /**
     * Trains {@code network} for {@code epochs} passes over {@code data}, and adds {@code epochs} to its epoch count
     * (which epoch-based learning-rate schedules read).
     *
     * @param network an initialised {@link MultiLayerNetwork} or {@link ComputationGraph}
     * @param data    the training minibatches; reset between epochs, so it must support reset when
     *                {@code epochs > 1}
     * @param epochs  passes over {@code data}, at least 1
     * @throws IllegalArgumentException on another model type, {@code epochs < 1}, an iterator that cannot be reset
     *                                  for several epochs, or a configuration that does not survive its JSON
     */
    public void fit(Model network, DataSetIterator data, int epochs) {
        ConfigurationJson.of(network); // the model type check
        if (data == null) {
            throw new IllegalArgumentException("data: got null, expected a DataSetIterator");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: got " + epochs + ", expected at least 1");
        }
        if (epochs > 1 && !data.resetSupported()) {
            throw new IllegalArgumentException("data: " + data.getClass().getName() + " cannot be reset, so it"
                    + " cannot be read for " + epochs + " epochs; use epochs = 1 or a resettable iterator");
        }
        if (workers == 1) {
            fitOneThread(network, data, epochs);
            return;
        }
        ConfigurationJson.requireRoundTrip(network);
        // ParallelWrapper moves the network's listeners to itself (and to the workers): put them back afterwards.
        List<TrainingListener> listeners = new ArrayList<>(listenersOf(network));
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(network)
                .workers(workers)
                .averagingFrequency(averagingFrequency)
                .averageUpdaters(true)
                .prefetchBuffer(prefetchBuffer)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                // ParallelWrapper would otherwise impose its own default (ENABLED) on every worker.
                .workspaceMode(trainingWorkspaceMode(network))
                .reportScoreAfterAveraging(false)
                .build();
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                if (epoch > 0) {
                    data.reset();
                }
                wrapper.fit(data);
                incrementEpochCount(network);
            }
        } finally {
            wrapper.shutdown();
            network.setListeners(listeners);
        }
    }

    /** Number of worker threads. */
    public int workers() {
        return workers;
    }

    /** Rounds (one minibatch per worker) between two averagings. */
    public int averagingFrequency() {
        return averagingFrequency;
    }

    /** Minibatches per worker prefetched in a background thread (0: none). */
    public int prefetchBuffer() {
        return prefetchBuffer;
    }

    @Override
    public String toString() {
        return "ParallelTraining(workers=" + workers + ", averagingFrequency=" + averagingFrequency
                + ", prefetchBuffer=" + prefetchBuffer + ")";
    }

    private static void fitOneThread(Model network, DataSetIterator data, int epochs) {
        if (network instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) network).fit(data, epochs);
        } else {
            ((ComputationGraph) network).fit(data, epochs);
        }
    }

    private static WorkspaceMode trainingWorkspaceMode(Model network) {
        return network instanceof MultiLayerNetwork
                ? ((MultiLayerNetwork) network).getLayerWiseConfigurations().getTrainingWorkspaceMode()
                : ((ComputationGraph) network).getConfiguration().getTrainingWorkspaceMode();
    }

    private static Collection<TrainingListener> listenersOf(Model network) {
        return network instanceof MultiLayerNetwork
                ? ((MultiLayerNetwork) network).getListeners()
                : ((ComputationGraph) network).getListeners();
    }

    private static void incrementEpochCount(Model network) {
        if (network instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) network).incrementEpochCount();
        } else {
            ((ComputationGraph) network).incrementEpochCount();
        }
    }

    /** Builder of {@link ParallelTraining}. */
    public static final class Builder {
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int averagingFrequency = 1;
        private int prefetchBuffer = 2;

        /**
         * Number of worker threads (default: the number of available processors). With several devices (GPUs)
         * ParallelWrapper spreads the workers over them. 1 trains without ParallelWrapper.
         */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers: got " + workers + ", expected at least 1");
            }
            this.workers = workers;
            return this;
        }

        /**
         * Rounds between two averagings of parameters and updater state (default 1: after every round). Larger
         * values synchronise less often (faster) but let the workers drift apart between averagings.
         */
        public Builder averagingFrequency(int averagingFrequency) {
            if (averagingFrequency < 1) {
                throw new IllegalArgumentException("averagingFrequency: got " + averagingFrequency
                        + ", expected at least 1");
            }
            this.averagingFrequency = averagingFrequency;
            return this;
        }

        /**
         * Minibatches per worker read ahead in a background thread (default 2; 0 turns prefetching off). Only used
         * when the iterator supports asynchronous reading ({@code asyncSupported()}).
         */
        public Builder prefetchBuffer(int prefetchBuffer) {
            if (prefetchBuffer < 0) {
                throw new IllegalArgumentException("prefetchBuffer: got " + prefetchBuffer + ", expected >= 0");
            }
            this.prefetchBuffer = prefetchBuffer;
            return this;
        }

        public ParallelTraining build() {
            return new ParallelTraining(this);
        }
    }
}
