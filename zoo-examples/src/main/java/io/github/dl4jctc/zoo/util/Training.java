package io.github.dl4jctc.zoo.util;

import io.github.dl4jctc.scaleout.ParallelTraining;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Runs DL4J training with a progress bar. */
public final class Training {

    private Training() {
    }

    /**
     * Fits {@code network} on one pass over {@code data} (DL4J prefetches minibatches on a background thread when
     * the iterator supports it, so data generation overlaps training).
     *
     * @param label     shown before the bar, e.g. "ocr train"
     * @param steps     the minibatches {@code data} yields (the bar's total)
     * @param batchSize examples per minibatch (for the examples/s figure)
     * @return the listener, holding the loss of every step and the throughput
     */
    public static ProgressListener fit(MultiLayerNetwork network, DataSetIterator data, String label, int steps,
                                       int batchSize) {
        return fit(network, data, label, steps, batchSize, 1);
    }

    /**
     * As {@link #fit(MultiLayerNetwork, DataSetIterator, String, int, int)}, on {@code workers} threads with DL4J's
     * ParallelWrapper (parameter averaging every 3 rounds) when {@code workers > 1}; the listener is then called
     * by every worker, hence synchronised.
     */
    public static ProgressListener fit(MultiLayerNetwork network, DataSetIterator data, String label, int steps,
                                       int batchSize, int workers) {
        return fit(network, data, label, TrainingBudget.steps(steps), batchSize, workers);
    }

    /**
     * As {@link #fit(MultiLayerNetwork, DataSetIterator, String, int, int, int)} for a run that {@code data} ends
     * when {@code budget} is used up; the bar counts seconds if the budget is timed. Starts the budget's clock.
     */
    public static ProgressListener fit(MultiLayerNetwork network, DataSetIterator data, String label,
                                       TrainingBudget budget, int batchSize, int workers) {
        ProgressListener progress = new ProgressListener(ProgressListener.barFor(label, budget), batchSize, budget);
        budget.start();
        network.setListeners(progress);
        try {
            new ParallelTraining.Builder().workers(workers).averagingFrequency(3).build().fit(network, data, 1);
        } finally {
            network.setListeners();
        }
        progress.finish();
        return progress;
    }
}
