package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bit-identical results on the CPU: run to run, whatever the batch a sample is computed in, whatever the number of
 * threads the CPU kernel's parallel streams get, and with four threads calling the op at once (the CPU kernel keeps
 * per-thread scratch in a ThreadLocal and runs samples on the common ForkJoin pool).
 */
class CtcDeterminismTest {
    private static final int N = 12, T = 80, C = 20, S = 15;
    private static final CtcKernel[] KERNELS = {JavaCtcKernel.INSTANCE, LibNd4jCtcKernel.INSTANCE};

    /** One call's inputs: [N, T, C] scores, padded targets, ragged lengths (two samples infeasible). */
    private static final class Call {
        final INDArray scores, targets, inputLengths, targetLengths;

        Call(long seed, DataType type) {
            Random r = new Random(seed);
            Nd4j.getRandom().setSeed(seed);
            scores = Nd4j.randn(DataType.DOUBLE, N, T, C).muli(1 + r.nextInt(8)).castTo(type);
            int[][] tg = new int[N][S];
            int[] il = new int[N], tl = new int[N];
            for (int n = 0; n < N; n++) {
                for (int j = 0; j < S; j++) tg[n][j] = 1 + r.nextInt(r.nextBoolean() ? 2 : C - 1);
                tl[n] = r.nextInt(S + 1);
                il[n] = n < 2 ? Math.max(0, tl[n] - 1) : T - r.nextInt(T / 2);
            }
            targets = Nd4j.createFromArray(tg);
            inputLengths = Nd4j.createFromArray(il);
            targetLengths = Nd4j.createFromArray(tl);
        }

        CtcResult run(CtcKernel kernel, boolean fromLogits, CtcReduction reduction) {
            CtcOptions o = CtcOptions.builder().reduction(reduction).layout(CtcLayout.NTC).build();
            return CtcLossEngine.lossAndGradient(scores, targets, inputLengths, targetLengths, o, fromLogits, kernel);
        }

        /** Sample n alone, as a batch of one with the same T. */
        CtcResult runSample(int n, CtcKernel kernel, boolean fromLogits) {
            CtcOptions o = CtcOptions.builder().reduction(CtcReduction.NONE).layout(CtcLayout.NTC).build();
            return CtcLossEngine.lossAndGradient(row(scores, n), row(targets, n), row(inputLengths, n),
                    row(targetLengths, n), o, fromLogits, kernel);
        }

        private static INDArray row(INDArray a, int n) {
            return a.get(NDArrayIndex.interval(n, n + 1)).dup();
        }
    }

    private static void assertBitIdentical(CtcResult expected, CtcResult actual, String what) {
        assertArrayEquals(bits(expected.loss()), bits(actual.loss()), what + " loss");
        assertArrayEquals(bits(expected.gradient()), bits(actual.gradient()), what + " gradient");
    }

    /** Raw bits, so that NaN compares equal to NaN and -0.0 differs from 0.0. */
    private static long[] bits(INDArray a) {
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Double.doubleToRawLongBits(v[i]);
        return out;
    }

    @Test
    void sameInputsGiveBitIdenticalResultsRunToRun() {
        for (CtcKernel kernel : KERNELS) {
            for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
                for (boolean fromLogits : new boolean[]{false, true}) {
                    Call call = new Call(1, type);
                    CtcResult first = call.run(kernel, fromLogits, CtcReduction.MEAN);
                    for (int i = 0; i < 3; i++) {
                        assertBitIdentical(first, call.run(kernel, fromLogits, CtcReduction.MEAN),
                                kernel.getClass().getSimpleName() + " " + type + " logits=" + fromLogits + " run " + i);
                    }
                }
            }
        }
    }

    @Test
    void aSampleGetsTheSameBitsAloneAsInItsBatch() {
        for (CtcKernel kernel : KERNELS) {
            for (boolean fromLogits : new boolean[]{false, true}) {
                Call call = new Call(2, DataType.FLOAT);
                CtcResult batch = call.run(kernel, fromLogits, CtcReduction.NONE);
                for (int n = 0; n < N; n++) {
                    CtcResult alone = call.runSample(n, kernel, fromLogits);
                    String what = kernel.getClass().getSimpleName() + " logits=" + fromLogits + " sample " + n;
                    assertEquals(Double.doubleToRawLongBits(batch.loss().getDouble(n)),
                            Double.doubleToRawLongBits(alone.loss().getDouble(0)), what + " loss");
                    assertArrayEquals(bits(batch.gradient().get(NDArrayIndex.interval(n, n + 1))),
                            bits(alone.gradient()),
                            what + " gradient");
                }
            }
        }
    }

    @Test
    void theCpuKernelGivesTheSameBitsOnOneThreadAsOnTheCommonPool() throws Exception {
        // Parallel streams started inside a ForkJoinPool run on that pool: here, on one thread.
        ForkJoinPool oneThread = new ForkJoinPool(1);
        try {
            for (boolean fromLogits : new boolean[]{false, true}) {
                Call call = new Call(3, DataType.FLOAT);
                CtcResult common = call.run(JavaCtcKernel.INSTANCE, fromLogits, CtcReduction.MEAN);
                CtcResult single = oneThread.submit(() -> call.run(JavaCtcKernel.INSTANCE, fromLogits,
                        CtcReduction.MEAN)).get();
                assertBitIdentical(common, single, "logits=" + fromLogits);
            }
        } finally {
            oneThread.shutdown();
        }
    }

    @Test
    void fourThreadsAtOnceGetTheSingleThreadedBits() throws Exception {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) calls.add(new Call(10 + i, i % 2 == 0 ? DataType.FLOAT : DataType.DOUBLE));
        for (CtcKernel kernel : KERNELS) {
            List<CtcResult> expected = new ArrayList<>();
            for (Call call : calls) expected.add(call.run(kernel, true, CtcReduction.MEAN));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<CtcResult>>> futures = new ArrayList<>();
                for (int thread = 0; thread < 4; thread++) {
                    // each thread works through all calls, starting at a different one, so that they overlap
                    int first = thread;
                    Callable<List<CtcResult>> work = () -> {
                        List<CtcResult> out = new ArrayList<>();
                        for (int rep = 0; rep < 5; rep++) {
                            for (int i = 0; i < calls.size(); i++) {
                                out.add(calls.get((first + i) % calls.size()).run(kernel, true, CtcReduction.MEAN));
                            }
                        }
                        return out;
                    };
                    futures.add(pool.submit(work));
                }
                for (int thread = 0; thread < 4; thread++) {
                    List<CtcResult> results = futures.get(thread).get();
                    for (int k = 0; k < results.size(); k++) {
                        int call = (thread + k) % calls.size();
                        assertBitIdentical(expected.get(call), results.get(k), kernel.getClass().getSimpleName()
                                + " thread " + thread + " result " + k + " (call " + call + ")");
                    }
                }
            } finally {
                pool.shutdown();
            }
        }
    }
}
