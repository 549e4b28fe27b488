package io.github.dl4jctc.zoo.util;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A learning rate that follows the progress of a run ({@link TrainingBudget#fraction}) rather than the iteration
 * number alone: {@code initial} for the first {@code holdFraction} of the run, then a half-cosine down to
 * {@code initial * finalRatio} at its end. With a time budget the decay thus ends when the time does, however
 * many minibatches fit.
 *
 * <p>DL4J serialises the schedule with the network configuration: only the shape is saved. A schedule read back
 * from JSON has no budget and gives the final rate (a restored network is for reading, not for resuming).
 * DL4J's layers share one schedule object (Adam's {@code clone()} keeps it), and so does {@link #clone()}: every
 * layer then sees the same budget.
 */
public final class ProgressSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    @JsonProperty("initial")
    private double initial;
    @JsonProperty("holdFraction")
    private double holdFraction;
    @JsonProperty("finalRatio")
    private double finalRatio;
    @JsonIgnore
    private transient TrainingBudget budget;
    @JsonIgnore
    private transient int stepsPerIteration = 1;

    /** For Jackson. */
    private ProgressSchedule() {
    }

    /**
     * @param initial      the rate at the start, positive
     * @param holdFraction part of the run at the initial rate, in [0, 1]
     * @param finalRatio   the rate at the end as a fraction of {@code initial}, in (0, 1]
     * @param budget       the run whose progress drives the rate; iteration {@code i} counts as {@code i} steps
     */
    public ProgressSchedule(double initial, double holdFraction, double finalRatio, TrainingBudget budget) {
        this(initial, holdFraction, finalRatio, budget, 1);
    }

    /**
     * As {@link #ProgressSchedule(double, double, double, TrainingBudget)}, iteration {@code i} counting as
     * {@code i * stepsPerIteration} of the budget's steps (training on several workers, each taking every
     * {@code stepsPerIteration}-th minibatch).
     */
    public ProgressSchedule(double initial, double holdFraction, double finalRatio, TrainingBudget budget,
                            int stepsPerIteration) {
        if (!(initial > 0)) {
            throw new IllegalArgumentException("initial: got " + initial + ", expected positive");
        }
        if (!(holdFraction >= 0 && holdFraction <= 1)) {
            throw new IllegalArgumentException("holdFraction: got " + holdFraction + ", expected in [0, 1]");
        }
        if (!(finalRatio > 0 && finalRatio <= 1)) {
            throw new IllegalArgumentException("finalRatio: got " + finalRatio + ", expected in (0, 1]");
        }
        this.initial = initial;
        this.holdFraction = holdFraction;
        this.finalRatio = finalRatio;
        if (stepsPerIteration < 1) {
            throw new IllegalArgumentException("stepsPerIteration: got " + stepsPerIteration + ", expected at least 1");
        }
        this.budget = budget;
        this.stepsPerIteration = stepsPerIteration;
    }

    /** A constant rate (that still serialises like the decaying one). */
    public static ProgressSchedule constant(double rate) {
        return new ProgressSchedule(rate, 1, 1, null);
    }

    /** @return the rate at {@code progress} (in [0, 1]) of the run */
    public double atProgress(double progress) {
        if (progress <= holdFraction) {
            return initial;
        }
        double decay = Math.min(1, (progress - holdFraction) / Math.max(1e-12, 1 - holdFraction));
        return initial * (finalRatio + (1 - finalRatio) * 0.5 * (1 + Math.cos(Math.PI * decay)));
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return atProgress(budget == null ? 1 : budget.fraction((long) iteration * stepsPerIteration));
    }

    @Override
    public ISchedule clone() {
        return new ProgressSchedule(initial, holdFraction, finalRatio, budget, stepsPerIteration);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProgressSchedule other && other.initial == initial && other.holdFraction == holdFraction
                && other.finalRatio == finalRatio;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(initial) * 31 * 31 + Double.hashCode(holdFraction) * 31 + Double.hashCode(finalRatio);
    }

    @Override
    public String toString() {
        return "ProgressSchedule(initial=" + initial + ", holdFraction=" + holdFraction + ", finalRatio=" + finalRatio
                + ")";
    }
}
