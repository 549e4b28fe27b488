package io.github.dl4jctc.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs one task per sample on the calling thread and a few pool threads, each thread taking the next sample not
 * yet taken, the costliest first.
 * <p>
 * Why not fixed chunks: libnd4j's OpenMP workers spin for milliseconds after an op (such as SameDiff's copy or
 * multiply; figures in docs/benchmarks.md), and
 * such a worker shares a core with one of our threads; with fixed chunks the other thread then waits for that
 * one, here it takes more samples instead.
 * <p>
 * Not the common fork-join pool: its idle workers spin before they park, against libnd4j's spinning workers,
 * and the recursions and the softmax after them slow down erratically.
 * The pool threads here park at once when idle. Which thread runs a sample never changes its result.
 * <p>
 * Shared by concurrent callers: a caller that has run all its samples marks its helper tasks still queued
 * (behind another caller's) as skipped, rather than waiting for them; they do nothing when they run. Not re-entrant: a task must not call
 * {@link #forEachSample} (its helpers could queue behind the very thread that waits for them).
 */
final class SampleParallelism {
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "dl4jctc-kernel");
        t.setDaemon(true);
        return t;
    });

    /** States of a helper task. */
    private static final int QUEUED = 0, RUNNING = 1, SKIPPED = 2;

    private SampleParallelism() {
    }

    /**
     * Calls {@code task} once for every sample in {@code [0, cost.length)}; returns when all calls have returned.
     * If a call throws, samples not yet started are skipped and the first exception is rethrown.
     *
     * @param cost a sample's relative cost (e.g. frames times states): the costliest are started first, so that
     *             the last ones to finish are short; all 0 runs everything on the calling thread
     */
    static void forEachSample(long[] cost, IntConsumer task) {
        long total = 0;
        for (long c : cost) total += c;
        int helpers = total == 0 ? 0 : Math.min(THREADS, cost.length) - 1;
        if (helpers <= 0) {
            for (int n = 0; n < cost.length; n++) task.accept(n);
            return;
        }
        int[] order = costliestFirst(cost);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> pending = new ArrayList<>(helpers);
        List<AtomicInteger> states = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            AtomicInteger state = new AtomicInteger(QUEUED);
            states.add(state);
            pending.add(POOL.submit(() -> {
                if (state.compareAndSet(QUEUED, RUNNING)) {
                    drain(order, next, task);
                }
            }));
        }
        Throwable failure = null;
        try {
            drain(order, next, task);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int h = 0; h < helpers; h++) {
            // A helper still queued has nothing left to do and never will; one that started must be waited for:
            // it writes into the caller's arrays. (Not Future.cancel: it also succeeds on a running task.)
            if (!states.get(h).compareAndSet(QUEUED, SKIPPED)) {
                Throwable t = await(pending.get(h));
                if (failure == null) failure = t;
            }
        }
        if (failure instanceof RuntimeException) throw (RuntimeException) failure;
        if (failure instanceof Error) throw (Error) failure;
        if (failure != null) throw new IllegalStateException(failure);
    }

    /** Sample indices by decreasing cost (ties in index order). */
    static int[] costliestFirst(long[] cost) {
        return IntStream.range(0, cost.length).boxed()
                .sorted(Comparator.comparingLong((Integer n) -> -cost[n]).thenComparingInt(n -> n))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Runs samples until none is left; on an exception, leaves none for the other threads. */
    private static void drain(int[] order, AtomicInteger next, IntConsumer task) {
        try {
            for (int i = next.getAndIncrement(); i < order.length; i = next.getAndIncrement()) {
                task.accept(order[i]);
            }
        } catch (RuntimeException | Error e) {
            next.set(order.length);
            throw e;
        }
    }

    /** Waits for f; its exception, or null. */
    private static Throwable await(Future<?> f) {
        boolean interrupted = false;
        Throwable failure = null;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;   // the task must finish: the caller's arrays are being written
            } catch (ExecutionException e) {
                failure = e.getCause();
                break;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return failure;
    }
}
