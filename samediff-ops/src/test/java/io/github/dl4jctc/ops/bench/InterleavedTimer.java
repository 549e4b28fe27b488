package io.github.dl4jctc.ops.bench;

import java.util.Arrays;

/** Times several calls fairly on a machine whose load changes: in rounds, the calls taking turns within each. */
public final class InterleavedTimer {
    private InterleavedTimer() {
    }

    /** Warm-up before timing: rounds of all calls for at least this long (the JIT compiles Java kernels late). */
    private static final double WARM_UP_SECONDS = 3.0;

    /**
     * Best mean time per call, in ms, of each call over {@code rounds} rounds of {@code reps} calls, after warm-up
     * rounds for {@value #WARM_UP_SECONDS} s (at least one); within a round the calls take turns, so they see the
     * same machine load.
     */
    public static double[] bestInterleaved(Runnable[] calls, int rounds, int reps) {
        return bestInterleaved(calls, rounds, reps, false);
    }

    /**
     * As {@link #bestInterleaved(Runnable[], int, int)}; with {@code cpuTime} the calling thread's CPU time rather
     * than wall time (comparable on a loaded machine; counts only this thread's work, so run single-threaded:
     * {@code OMP_NUM_THREADS=1 -XX:ActiveProcessorCount=1}).
     */
    public static double[] bestInterleaved(Runnable[] calls, int rounds, int reps, boolean cpuTime) {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long warmUpEnd = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
        do {
            for (Runnable call : calls) {
                for (int i = 0; i < reps; i++) call.run();
            }
        } while (System.nanoTime() < warmUpEnd);
        double[] best = new double[calls.length];
        Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < calls.length; k++) {
                long start = cpuTime ? cpu.getCurrentThreadCpuTime() : System.nanoTime();
                for (int i = 0; i < reps; i++) calls[k].run();
                double ms = ((cpuTime ? cpu.getCurrentThreadCpuTime() : System.nanoTime()) - start) / 1e6 / reps;
                if (round >= 0) best[k] = Math.min(best[k], ms);
            }
        }
        return best;
    }
}
