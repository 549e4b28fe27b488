package io.github.dl4jctc.ops.bench;

import io.github.dl4jctc.ops.Ctc;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import io.github.dl4jctc.ops.CtcReduction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@link CtcBenchmark}'s eager, eager into and SameDiff calls (float32, SUM, NTC) timed by the CPU time of one thread
 * per call, against PyTorch's CPU ctc_loss + backward timed the same way ({@code bench/torch_ctc_cpu.py}, one torch
 * thread): the work each side does, which other processes on a loaded machine do not change as they change wall
 * times. Run with one thread on each side: {@code OMP_NUM_THREADS=1} and {@code -XX:ActiveProcessorCount=1} (the op's
 * sample threads follow the processor count), else the other threads' work is not counted. Best of {@code rounds}
 * blocks of {@code reps} calls (a tenth of them at C = 5000, on both sides) after warm-up. Arguments: rounds reps.
 */
public final class CtcCpuTimeBenchmark {
    private static final int[][] SHAPES = {   // N, T, C, S
            {32, 150, 29, 40},
            {16, 400, 5000, 60},
            {64, 100, 80, 30},
    };

    private CtcCpuTimeBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.printf(Locale.ROOT, "OMP_NUM_THREADS=%s, %d processors seen%n", System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors());
        Map<String, Double> torch = TorchTimer.time("/bench/torch_ctc_cpu.py", Arrays.asList(SHAPES), 1, rounds,
                reps);
        System.out.println("| N x T x C, S | eager CPU (ms) | into CPU (ms) | SameDiff CPU (ms) | PyTorch 1-thread CPU (ms) "
                + "| eager / PyTorch | SameDiff / PyTorch |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int[] s : SHAPES) {
            Double torchMs = torch.get(s[0] + "," + s[1] + "," + s[2] + "," + s[3]);
            run(s[0], s[1], s[2], s[3], rounds, s[2] > 1000 ? Math.max(1, reps / 10) : reps, torchMs);
        }
    }

    private static void run(int n, int t, int c, int s, int rounds, int reps, Double torchMs) {
        BenchBatch batch = BenchBatch.random(n, t, c, s);
        INDArray logits = batch.logits();
        INDArray tg = batch.targets();
        INDArray inLen = batch.inputLengths();
        INDArray tgLen = batch.targetLengths();
        CtcOptions o = CtcOptions.builder().reduction(CtcReduction.SUM).layout(CtcLayout.NTC).build();
        INDArray gradient = Nd4j.createUninitialized(DataType.FLOAT, n, t, c);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("logits", logits);
        Ctc.lossFromLogits(sd, "loss", x, sd.placeHolder("targets", DataType.INT, -1, -1),
                sd.placeHolder("il", DataType.INT, -1), sd.placeHolder("tl", DataType.INT, -1), o);
        sd.setLossVariables("loss");
        Map<String, INDArray> feed = new HashMap<>();
        feed.put("targets", tg);
        feed.put("il", inLen);
        feed.put("tl", tgLen);
        Runnable[] calls = {
                () -> Ctc.lossAndGradientFromLogits(logits, tg, inLen, tgLen, o),
                () -> Ctc.lossAndGradientFromLogits(logits, tg, inLen, tgLen, o, gradient),
                () -> sd.calculateGradients(feed, "logits")};
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long warmUpEnd = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < warmUpEnd) {
            for (Runnable call : calls) call.run();
        }
        double[] best = new double[calls.length];
        Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < calls.length; k++) {
                long start = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < reps; i++) calls[k].run();
                best[k] = Math.min(best[k], (cpu.getCurrentThreadCpuTime() - start) / 1e6 / reps);
            }
        }
        System.out.printf(Locale.ROOT, "| %dx%dx%d, %d | %.2f | %.2f | %.2f | %s | %s | %s |%n", n, t, c, s, best[0],
                best[1], best[2], torchMs == null ? "n/a" : String.format(Locale.ROOT, "%.2f", torchMs),
                ratio(best[0], torchMs), ratio(best[2], torchMs));
    }

    private static String ratio(double ms, Double torchMs) {
        return torchMs == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ms / torchMs);
    }
}
