package io.github.dl4jctc.zoo.util;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.util.Arrays;
import java.util.Locale;

/**
 * A DL4J training listener that records the loss of every iteration and drives a {@link ProgressBar} showing the
 * iterations done (or, for a run with a time budget, the seconds), elapsed time, ETA, the loss (smoothed over the
 * last ~20 iterations) and the throughput.
 */
public final class ProgressListener extends BaseTrainingListener {

    private final ProgressBar bar;
    private final int batchSize;
    private final TrainingBudget budget;
    private double[] losses = new double[1024];
    private int count;
    private double smoothed = Double.NaN;

    /**
     * @param bar       the bar, its total = the iterations of the run
     * @param batchSize examples per iteration (for the examples/s figure)
     */
    public ProgressListener(ProgressBar bar, int batchSize) {
        this(bar, batchSize, null);
    }

    /**
     * @param bar       the bar: its total = the budget's seconds (rounded up) if it is timed, else its steps
     * @param batchSize examples per iteration (for the examples/s figure)
     * @param budget    the run's budget, or null for a bar counting iterations
     */
    public ProgressListener(ProgressBar bar, int batchSize, TrainingBudget budget) {
        this.bar = bar;
        this.batchSize = batchSize;
        this.budget = budget != null && budget.timed() ? budget : null;
    }

    /** @return a bar for {@code budget}: counting seconds if it is timed, else steps */
    public static ProgressBar barFor(String label, TrainingBudget budget) {
        return ProgressBar.onStdout(label, budget.timed() ? (long) Math.ceil(budget.maxSeconds())
                : budget.maxSteps());
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
        bar.update(done(), status());
    }

    /** Draws the final state of the bar. */
    public synchronized void finish() {
        bar.finish(done(), status());
    }

    /** @return iterations so far */
    public synchronized int iterations() {
        return count;
    }

    private long done() {
        if (budget == null) {
            return count;
        }
        long total = (long) Math.ceil(budget.maxSeconds());
        return Math.min(total, (long) Math.floor(budget.elapsedSeconds()));
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
        String steps = budget == null ? "" : "step " + count + "  ";
        return String.format(Locale.ROOT, "%sloss %.3f  %.1f ex/s", steps, smoothed, examplesPerSecond());
    }
}
