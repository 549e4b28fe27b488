package io.github.dl4jctc.zoo.util;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aStepBudgetEndsAfterItsSteps() {
        TrainingBudget budget = TrainingBudget.steps(40);
        budget.start();
        assertFalse(budget.timed());
        assertEquals(0.25, budget.fraction(10), 1e-12);
        assertFalse(budget.exhausted(39));
        assertTrue(budget.exhausted(40));
        assertEquals("40 steps", budget.toString());
    }

    @Test
    void aTimeBudgetEndsWhenItsTimeIsUpOrItsStepsAreDone() {
        AtomicLong clock = new AtomicLong(100 * SECOND);
        TrainingBudget budget = new TrainingBudget(1000, 120, clock::get);
        assertEquals(0, budget.fraction(0), 0, "the clock has not started");
        budget.start();
        clock.addAndGet(30 * SECOND);
        assertEquals(0.25, budget.fraction(100), 1e-12, "time ahead of steps");
        assertEquals(0.5, budget.fraction(500), 1e-12, "steps ahead of time");
        assertFalse(budget.exhausted(999));
        assertTrue(budget.exhausted(1000));
        clock.addAndGet(90 * SECOND);
        assertTrue(budget.exhausted(1));
        assertEquals(1, budget.fraction(1), 0);
        assertEquals("02:00 of training (at most 1000 steps)", budget.toString());
    }

    @Test
    void rejectsABudgetWithoutLimits() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new TrainingBudget(Long.MAX_VALUE, Double.POSITIVE_INFINITY, System::nanoTime));
        assertTrue(none.getMessage().contains("neither"), none.getMessage());
        IllegalArgumentException steps = assertThrows(IllegalArgumentException.class, () -> TrainingBudget.steps(0));
        assertTrue(steps.getMessage().contains("maxSteps") && steps.getMessage().contains("0"), steps.getMessage());
        IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
                () -> TrainingBudget.minutes(-1, Long.MAX_VALUE));
        assertTrue(time.getMessage().contains("maxSeconds") && time.getMessage().contains("-60"), time.getMessage());
    }
}
