package io.github.dl4jctc.ops.bench;

import io.github.dl4jctc.ops.Ctc;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import io.github.dl4jctc.ops.CtcReduction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Times {@link Ctc#lossAndGradientFromLogits} (float32, reduction SUM; "eager" returns a new gradient array,
 * "eager into" writes into one preallocated array, as {@code CtcOutputLayer} does with its workspace) and the
 * SameDiff op's forward + backward against the raw libnd4j {@code ctc_loss_grad} kernel on precomputed
 * log-probabilities (into a new output array, and into a preallocated one) and, when {@code /usr/bin/python3} has
 * torch, PyTorch's CPU ctc_loss + backward through log_softmax, all measured in the same run, and prints the
 * ratios.
 * Best of {@code rounds} rounds of {@code reps} calls each, after warm-up. Arguments: rounds reps threads.
 * <p>
 * Run: {@code mvn -q -pl samediff-ops test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.dl4jctc.ops.bench.CtcBenchmark} (set OMP_NUM_THREADS=2 to pin the thread count).
 */
public final class CtcBenchmark {
    private static final int[][] SHAPES = {   // N, T, C, S
            {32, 150, 29, 40},
            {16, 400, 5000, 60},
            {64, 100, 80, 30},
    };

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        System.out.printf(Locale.ROOT, "threads %d (torch), OMP_NUM_THREADS=%s, backend %s, %d cores%n", threads,
                System.getenv("OMP_NUM_THREADS"), Nd4j.getBackend().getClass().getSimpleName(),
                Runtime.getRuntime().availableProcessors());
        Map<String, Double> torch = TorchTimer.time(Arrays.asList(SHAPES), threads, rounds, reps);
        System.out.println("| N x T x C, S | eager (ms) | eager into (ms) | SameDiff (ms) | raw libnd4j (ms) | raw into (ms) "
                + "| PyTorch 1.13 CPU (ms) | eager / raw | into / raw into | eager / PyTorch | into / PyTorch "
                + "| SameDiff / PyTorch |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int[] shape : SHAPES) {
            Double torchMs = torch.get(shape[0] + "," + shape[1] + "," + shape[2] + "," + shape[3]);
            run(shape[0], shape[1], shape[2], shape[3], rounds, reps, torchMs);
        }
    }

    private static void run(int n, int t, int c, int s, int rounds, int reps, Double torchMs) {
        BenchBatch batch = BenchBatch.random(n, t, c, s);
        INDArray logits = batch.logits();
        INDArray tg = batch.targets();
        INDArray inLen = batch.inputLengths();
        INDArray tgLen = batch.targetLengths();
        CtcOptions o = CtcOptions.builder().reduction(CtcReduction.SUM).layout(CtcLayout.NTC).build();
        INDArray logProbs = Nd4j.exec(new LogSoftMax(logits, 2))[0];

        INDArray gradient = Nd4j.createUninitialized(DataType.FLOAT, n, t, c);
        Runnable ours = () -> Ctc.lossAndGradientFromLogits(logits, tg, inLen, tgLen, o);
        Runnable oursInto = () -> Ctc.lossAndGradientFromLogits(logits, tg, inLen, tgLen, o, gradient);
        SameDiffStep graph = new SameDiffStep(logits, tg, inLen, tgLen, o);
        Runnable raw = () -> rawKernel(tg, logProbs, tgLen, inLen, Nd4j.createUninitialized(DataType.FLOAT, n, t, c));
        Runnable rawInto = () -> rawKernel(tg, logProbs, tgLen, inLen, gradient);
        double[] best = InterleavedTimer.bestInterleaved(new Runnable[]{ours, oursInto, graph::run, raw, rawInto},
                rounds, reps);
        System.out.printf(Locale.ROOT, "| %dx%dx%d, %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %.2f | %.2f | %s | %s | %s |%n",
                n, t, c, s, best[0], best[1], best[2], best[3], best[4], fmt(torchMs),
                best[0] / best[3], best[1] / best[4], ratio(best[0], torchMs), ratio(best[1], torchMs),
                ratio(best[2], torchMs));
    }

    private static void rawKernel(INDArray targets, INDArray logProbs, INDArray targetLengths, INDArray inputLengths,
                                  INDArray gradient) {
        Nd4j.exec(DynamicCustomOp.builder("ctc_loss_grad")
                .addInputs(targets, logProbs, targetLengths, inputLengths)
                .addOutputs(gradient)
                .addIntegerArguments(0).build());
    }

    private static String ratio(double ms, Double torchMs) {
        return torchMs == null ? "n/a" : fmt(ms / torchMs);
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Loss + gradient w.r.t. the logits through a SameDiff graph holding the op (forward and backward). */
    private static final class SameDiffStep {
        private final SameDiff sd = SameDiff.create();
        private final Map<String, INDArray> feed = new HashMap<>();

        SameDiffStep(INDArray logits, INDArray targets, INDArray inputLengths, INDArray targetLengths, CtcOptions o) {
            // The logits as the graph's trainable variable: the step is the op's forward and backward and nothing else.
            SDVariable x = sd.var("logits", logits);
            Ctc.lossFromLogits(sd, "loss", x, sd.placeHolder("targets", DataType.INT, -1, -1),
                    sd.placeHolder("il", DataType.INT, -1), sd.placeHolder("tl", DataType.INT, -1), o);
            sd.setLossVariables("loss");
            feed.put("targets", targets);
            feed.put("il", inputLengths);
            feed.put("tl", targetLengths);
        }

        void run() {
            sd.calculateGradients(feed, "logits");
        }
    }
}
