package io.github.dl4jctc.zoo.util;

import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.HashMap;
import java.util.Map;

/** Learning rate schedules of the examples. */
public final class Schedules {

    private Schedules() {
    }

    /**
     * {@code initial} for the first 60% of the steps, then 30% of it, then 10% from 85% of the steps on: a short
     * fine-tuning phase at a low rate removes much of the last errors of a constant-rate run.
     */
    public static ISchedule stepDown(double initial, int steps) {
        if (!(initial > 0) || steps < 1) {
            throw new IllegalArgumentException("initial, steps: got " + initial + ", " + steps
                    + ", expected a positive rate and at least 1 step");
        }
        Map<Integer, Double> values = new HashMap<>();
        values.put(0, initial);
        values.put((int) (0.6 * steps), 0.3 * initial);
        values.put((int) (0.85 * steps), 0.1 * initial);
        return new MapSchedule(ScheduleType.ITERATION, values);
    }

    /**
     * The schedule of a run: {@link #stepDown} for a long run; a constant rate for a short one, where lowering the
     * rate early keeps the network on the all-blank plateau of CTC training for longer (on the quick OCR run: 99.9%
     * held-out CER after 200 steps with the step-down, 73% without).
     */
    public static ISchedule forRun(double initial, int steps, boolean stepDown) {
        return stepDown ? stepDown(initial, steps) : new FixedSchedule(initial);
    }
}
