package io.github.dl4jctc.zoo.util;

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
        Map<Integer, Double> values = new HashMap<>();
        values.put(0, initial);
        values.put((int) (0.6 * steps), 0.3 * initial);
        values.put((int) (0.85 * steps), 0.1 * initial);
        return new MapSchedule(ScheduleType.ITERATION, values);
    }
}
