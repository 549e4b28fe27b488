package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleParallelismTest {

    @Test
    void runsEverySampleExactlyOnce() {
        int n = 257;
        long[] cost = new long[n];
        for (int i = 0; i < n; i++) cost[i] = (i * 37L) % 11;
        AtomicIntegerArray calls = new AtomicIntegerArray(n);
        SampleParallelism.forEachSample(cost, calls::incrementAndGet);
        for (int i = 0; i < n; i++) assertEquals(1, calls.get(i), "sample " + i);
    }

    @Test
    void startsTheCostliestSamplesFirst() {
        assertArrayEquals(new int[]{2, 0, 3, 1}, SampleParallelism.costliestFirst(new long[]{5, 1, 9, 5}));
    }

    @Test
    void aCallReturnsWithoutWaitingForAnotherCallersSamples() throws Exception {
        // The other caller's samples hold the pool's threads until this call has returned: if it waited for its
        // helpers queued behind them, it would never return.
        CountDownLatch otherStarted = new CountDownLatch(1);
        CountDownLatch thisReturned = new CountDownLatch(1);
        long[] sixSamples = {1, 1, 1, 1, 1, 1};
        Thread other = new Thread(() -> SampleParallelism.forEachSample(sixSamples, n -> {
            otherStarted.countDown();
            try {
                thisReturned.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        other.start();
        otherStarted.await();
        AtomicIntegerArray calls = new AtomicIntegerArray(2);
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> SampleParallelism.forEachSample(new long[]{1, 1}, calls::incrementAndGet));
        thisReturned.countDown();
        other.join();
        assertEquals(1, calls.get(0));
        assertEquals(1, calls.get(1));
    }

    @Test
    void rethrowsTheFirstFailureAfterEveryStartedSampleHasFinished() {
        int n = 64;
        long[] cost = new long[n];
        java.util.Arrays.fill(cost, 1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        IllegalArgumentException bad = new IllegalArgumentException("sample 5");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> SampleParallelism.forEachSample(cost, i -> {
                    running.incrementAndGet();
                    try {
                        if (i == 5) throw bad;
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        running.decrementAndGet();
                        finished.incrementAndGet();
                    }
                }));
        assertSame(bad, thrown);
        assertEquals(0, running.get(), "a sample was still running when the call returned");
        assertTrue(finished.get() < n, "samples after the failure should be skipped, ran " + finished.get());
    }
}
