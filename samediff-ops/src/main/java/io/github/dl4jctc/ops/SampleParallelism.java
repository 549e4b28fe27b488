package io.github.dl4jctc.ops;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one task per sample on the calling thread and a few pool threads, in contiguous chunks of about equal
 * cost.
 * <p>
 * Not the common fork-join pool: its idle workers spin before they park, and so do libnd4j's OpenMP workers after
 * every native op, so on a machine with as many cores as threads the two pools time-slice against each other
 * (measured at 32x150x29 on 2 cores: the same recursions took 4-10 ms, and the softmax after them 2-9 ms).
 * The pool threads here park at once when idle. Which thread runs a sample never changes its result.
 */
final class SampleParallelism {
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "dl4jctc-kernel");
        t.setDaemon(true);
        return t;
    });

    private SampleParallelism() {
    }

    /**
     * Calls {@code task} once for every sample in {@code [0, cost.length)}.
     *
     * @param cost a sample's relative cost (e.g. frames times states), used to balance the chunks
     */
    static void forEachSample(long[] cost, IntConsumer task) {
        int[] bounds = chunks(cost, THREADS);
        int chunks = bounds.length - 1;
        if (chunks <= 1) {
            runChunk(task, 0, cost.length);
            return;
        }
        List<Future<?>> pending = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int from = bounds[c];
            int to = bounds[c + 1];
            pending.add(POOL.submit(() -> runChunk(task, from, to)));
        }
        runChunk(task, bounds[0], bounds[1]);
        for (Future<?> f : pending) {
            await(f);
        }
    }

    /** Chunk boundaries: {@code bounds[c]..bounds[c + 1]} is chunk c; at most {@code parts} non-empty chunks. */
    static int[] chunks(long[] cost, int parts) {
        long total = 0;
        for (long c : cost) total += Math.max(1, c);
        int[] bounds = new int[parts + 1];
        int chunk = 1;
        long sum = 0;
        for (int n = 0; n < cost.length && chunk < parts; n++) {
            sum += Math.max(1, cost[n]);
            if (sum * parts >= total * chunk) {
                bounds[chunk++] = n + 1;
            }
        }
        while (chunk <= parts) bounds[chunk++] = cost.length;
        return bounds;
    }

    private static void runChunk(IntConsumer task, int from, int to) {
        for (int n = from; n < to; n++) task.accept(n);
    }

    private static void await(Future<?> f) {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;   // the chunk must finish: the caller's arrays are being written
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) throw (RuntimeException) cause;
                if (cause instanceof Error) throw (Error) cause;
                throw new IllegalStateException(cause);
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
