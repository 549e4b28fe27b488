package io.github.dl4jctc.zoo.util;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.util.Arrays;
import java.util.Locale;

/**
 * A DL4J training listener that records the loss of every iteration and drives a {@link ProgressBar} showing the
 * iterations done, elapsed time, ETA, the loss (smoothed over the last ~20 iterations) and the throughput.
 */
public final class ProgressListener extends BaseTrainingListener {

    private final ProgressBar bar;
    private final int batchSize;
    private double[] losses = new double[1024];
    private int count;
    private double smoothed = Double.NaN;

    /**
     * @param bar       the bar, its total = the iterations of the run
     * @param batchSize examples per iteration (for the examples/s figure)
     */
    public ProgressListener(ProgressBar bar, int batchSize) {
        this.bar = bar;
        this.batchSize = batchSize;
    }

    @Override
    public synchronized void iterationDone(Model model, int iteration, int epoch) {
        double loss = model.score();
        if (count == losses.length) {
            losses = Arrays.copyOf(losses, 2 * count);
        }
        losses[count++] = loss;
        if (Double.isFinite(loss)) {
            smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
        }
        bar.update(count, status());
    }

    /** Draws the final state of the bar. */
    public synchronized void finish() {
        bar.finish(count, status());
    }

    /** @return the loss of every iteration so far */
    public double[] losses() {
        return Arrays.copyOf(losses, count);
    }

    /** @return examples per second so far */
    public double examplesPerSecond() {
        double seconds = bar.elapsedSeconds();
        return seconds <= 0 ? 0 : count * (double) batchSize / seconds;
    }

    private String status() {
        return String.format(Locale.ROOT, "loss %.3f  %.1f ex/s", smoothed, examplesPerSecond());
    }
}
