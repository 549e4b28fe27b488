package io.github.dl4jctc.zoo.util;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How long a training run goes: a number of minibatches, a wall-clock time, or both (whichever ends first).
 *
 * <p>A time budget keeps a run within its minutes on a machine whose speed varies (shared cores): the learning
 * rate schedule ({@link ProgressSchedule}) follows {@link #fraction}, so the rate still decays to its final value
 * by the end, however many minibatches that turned out to be. The clock starts with {@link #start()}.
 *
 * <p>Thread-safe: the data iterator (on DL4J's prefetch thread) and the updater (on the training thread) ask it.
 */
public final class TrainingBudget {

    private final long maxSteps;
    private final double maxSeconds;
    private final LongSupplier nanoClock;
    private volatile long startNanos = -1;

    /**
     * @param maxSteps   minibatches at most, at least 1 ({@link Long#MAX_VALUE}: no limit)
     * @param maxSeconds seconds at most after {@link #start()}, positive ({@link Double#POSITIVE_INFINITY}: no limit)
     * @param nanoClock  time source in nanoseconds ({@code System::nanoTime}; a fake one in tests)
     */
    public TrainingBudget(long maxSteps, double maxSeconds, LongSupplier nanoClock) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps: got " + maxSteps + ", expected at least 1");
        }
        if (!(maxSeconds > 0)) {
            throw new IllegalArgumentException("maxSeconds: got " + maxSeconds + ", expected positive");
        }
        if (maxSteps == Long.MAX_VALUE && maxSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("maxSteps, maxSeconds: got neither limit, expected a step limit"
                    + " or a time limit");
        }
        this.maxSteps = maxSteps;
        this.maxSeconds = maxSeconds;
        this.nanoClock = nanoClock;
    }

    /** A run of exactly {@code steps} minibatches. */
    public static TrainingBudget steps(long steps) {
        return new TrainingBudget(steps, Double.POSITIVE_INFINITY, System::nanoTime);
    }

    /** A run of {@code minutes} of wall-clock time (and at most {@code maxSteps} minibatches, if given). */
    public static TrainingBudget minutes(double minutes, long maxSteps) {
        return new TrainingBudget(maxSteps, minutes * 60, System::nanoTime);
    }

    /** Starts the clock (again). */
    public void start() {
        startNanos = nanoClock.getAsLong();
    }

    /** @return whether the run is limited by time (else by steps only) */
    public boolean timed() {
        return maxSeconds != Double.POSITIVE_INFINITY;
    }

    /** @return the step limit ({@link Long#MAX_VALUE} if none) */
    public long maxSteps() {
        return maxSteps;
    }

    /** @return the time limit in seconds ({@link Double#POSITIVE_INFINITY} if none) */
    public double maxSeconds() {
        return maxSeconds;
    }

    /** @return seconds since {@link #start()}, 0 before */
    public double elapsedSeconds() {
        long start = startNanos;
        return start < 0 ? 0 : (nanoClock.getAsLong() - start) / 1e9;
    }

    /** @return how much of the budget {@code stepsDone} minibatches and the time so far used, in [0, 1] */
    public double fraction(long stepsDone) {
        double bySteps = maxSteps == Long.MAX_VALUE ? 0 : (double) stepsDone / maxSteps;
        double byTime = timed() ? elapsedSeconds() / maxSeconds : 0;
        return Math.min(1, Math.max(bySteps, byTime));
    }

    /** @return whether a run that did {@code stepsDone} minibatches must stop */
    public boolean exhausted(long stepsDone) {
        return fraction(stepsDone) >= 1;
    }

    @Override
    public String toString() {
        if (!timed()) {
            return maxSteps + " steps";
        }
        String time = String.format(Locale.ROOT, "%s of training", ProgressBar.formatDuration(maxSeconds));
        return maxSteps == Long.MAX_VALUE ? time : time + " (at most " + maxSteps + " steps)";
    }
}
