package io.github.dl4jctc.layer.bench;

import io.github.dl4jctc.layer.decode.CtcForcedAligner;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import io.github.dl4jctc.ops.Ctc;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import io.github.dl4jctc.ops.CtcReduction;
import io.github.dl4jctc.ops.bench.InterleavedTimer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;
import java.util.Random;

/**
 * Speed of batched forced alignment next to the CTC loss on the same arguments (a forward pass over the same states,
 * plus its backward pass) and next to aligning the samples one by one through the {@code float[][]} entry on one
 * thread, for a few shapes N x T x C (target lengths ragged in [S/2, S], input lengths in [3T/4, T]), float32, TNC,
 * log-softmax of random logits. Also times greedy decoding with spans ({@code decodeLogProbs} per sample).
 * Best of {@code rounds} rounds of {@code reps} calls, the calls taking turns within each round. Arguments:
 * rounds reps.
 * <p>
 * Run: {@code mvn -q -pl layer -am test-compile} then {@code mvn -q -pl layer exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.dl4jctc.layer.bench.CtcAlignmentBenchmark -Dexec.args="8 5"}.
 */
public final class CtcAlignmentBenchmark {
    private static final int[][] SHAPES = {   // N, T, C, S
            {32, 150, 29, 40},
            {64, 400, 30, 80},
            {16, 400, 5000, 60},
    };

    private CtcAlignmentBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.println("threads (cores seen): " + Runtime.getRuntime().availableProcessors());
        System.out.println("| N x T x C, S | align batch (ms) | Ctc.loss (ms) | align / loss | one by one, 1 thread (ms)"
                + " | batch speed-up | frames/s aligned | greedy+spans (ms) |");
        for (int[] shape : SHAPES) {
            run(shape[0], shape[1], shape[2], shape[3], rounds, reps);
        }
    }

    private static void run(int n, int t, int c, int s, int rounds, int reps) {
        Random random = new Random(1);
        INDArray logProbs = Nd4j.rand(DataType.FLOAT, t, n, c).muli(6);
        logProbs.subi(logProbs.dup().max(true, 2).add(
                Nd4j.math().log(Nd4j.math().exp(logProbs.sub(logProbs.max(true, 2))).sum(true, 2))));
        int[][] targets = new int[n][s];
        int[] targetLengths = new int[n];
        int[] inputLengths = new int[n];
        long frames = 0;
        for (int i = 0; i < n; i++) {
            targetLengths[i] = s / 2 + random.nextInt(s / 2 + 1);
            inputLengths[i] = 3 * t / 4 + random.nextInt(t / 4 + 1);
            frames += inputLengths[i];
            for (int j = 0; j < s; j++) {
                targets[i][j] = 1 + random.nextInt(c - 1);
            }
        }
        INDArray tg = Nd4j.createFromArray(targets);
        INDArray il = Nd4j.createFromArray(inputLengths);
        INDArray tl = Nd4j.createFromArray(targetLengths);
        CtcOptions options = CtcOptions.builder().layout(CtcLayout.TNC).reduction(CtcReduction.NONE).build();
        float[][][] perSample = new float[n][][];
        for (int i = 0; i < n; i++) {
            perSample[i] = new float[inputLengths[i]][];
            for (int f = 0; f < inputLengths[i]; f++) {
                perSample[i][f] = logProbs.get(org.nd4j.linalg.indexing.NDArrayIndex.point(f),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(i)).toFloatVector();
            }
        }
        CtcGreedyDecoder greedy = new CtcGreedyDecoder();
        Runnable[] calls = {
                () -> CtcForcedAligner.align(logProbs, tg, il, tl, options),
                () -> Ctc.loss(logProbs, tg, il, tl, options),
                () -> {
                    for (int i = 0; i < n; i++) {
                        CtcForcedAligner.align(perSample[i], java.util.Arrays.copyOf(targets[i], targetLengths[i]), 0);
                    }
                },
                () -> {
                    for (int i = 0; i < n; i++) {
                        greedy.decodeLogProbs(perSample[i]);
                    }
                },
        };
        double[] ms = InterleavedTimer.bestInterleaved(calls, rounds, reps);
        System.out.println(String.format(Locale.ROOT, "| %d x %d x %d, %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f |",
                n, t, c, s, ms[0], ms[1], ms[0] / ms[1], ms[2], ms[2] / ms[0], frames / (ms[0] / 1000), ms[3]));
    }
}
