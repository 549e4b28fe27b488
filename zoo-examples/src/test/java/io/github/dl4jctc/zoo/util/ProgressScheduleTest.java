package io.github.dl4jctc.zoo.util;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressScheduleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void holdsThenFallsAlongAHalfCosineToTheFinalRate() {
        ProgressSchedule schedule = new ProgressSchedule(0.01, 0.4, 0.02, null);
        assertEquals(0.01, schedule.atProgress(0), 0);
        assertEquals(0.01, schedule.atProgress(0.4), 0);
        // Half-way through the decay the cosine is at its middle: (1 + 0.02) / 2 of the initial rate.
        assertEquals(0.0051, schedule.atProgress(0.7), 1e-15);
        assertEquals(0.0002, schedule.atProgress(1), 1e-15);
        assertTrue(schedule.atProgress(0.5) > schedule.atProgress(0.6));
    }

    @Test
    void followsTheBudgetsClockAndCountsWorkerIterationsAsSeveralSteps() {
        AtomicLong clock = new AtomicLong(0);
        TrainingBudget budget = new TrainingBudget(1000, 100, clock::get);
        budget.start();
        ProgressSchedule schedule = new ProgressSchedule(1, 0.4, 0.02, budget, 2);
        assertEquals(1, schedule.valueAt(100, 0), 0);
        clock.set(70 * SECOND);
        assertEquals(0.51, schedule.valueAt(100, 0), 1e-12, "70% of the time");
        clock.set(0);
        assertEquals(0.51, schedule.valueAt(350, 0), 1e-12, "iteration 350 of 2 workers: 700 of 1000 steps");
        ISchedule copy = schedule.clone();
        assertEquals(0.51, copy.valueAt(350, 0), 1e-12, "a clone follows the same budget");
    }

    @Test
    void serialisesItsShapeAndReadsBackAsTheFinalRate() throws Exception {
        TrainingBudget budget = TrainingBudget.steps(10);
        Adam adam = new Adam(new ProgressSchedule(0.003, 0.4, 0.02, budget));
        // The mapper DL4J writes network configurations with.
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        Adam back = mapper.readValue(mapper.writeValueAsString(adam), Adam.class);
        assertEquals(adam.getLearningRateSchedule(), back.getLearningRateSchedule());
        assertEquals(0.003 * 0.02, back.getLearningRate(0, 0), 1e-15);
    }

    @Test
    void rejectsRatesAndFractionsOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProgressSchedule(0.01, 1.5, 0.1, null));
        assertTrue(e.getMessage().contains("holdFraction") && e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProgressSchedule(0, 0.5, 0.1, null));
        assertThrows(IllegalArgumentException.class, () -> new ProgressSchedule(0.01, 0.5, 0, null));
    }
}
