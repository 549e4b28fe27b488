package io.github.dl4jctc.ops.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * The random minibatch the op benchmarks time, the same in every benchmark so that their figures compare: logits
 * {@code [N, T, C]} (NTC, standard normal), targets {@code [N, S]} of non-blank labels, input lengths up to a tenth
 * short of T and target lengths up to a quarter short of S, all from seed 1.
 */
record BenchBatch(INDArray logits, INDArray targets, INDArray inputLengths, INDArray targetLengths) {

    static BenchBatch random(int n, int t, int c, int s) {
        Random r = new Random(1);
        INDArray logits = Nd4j.randn(DataType.FLOAT, n, t, c);
        int[][] targets = new int[n][s];
        int[] inputLengths = new int[n];
        int[] targetLengths = new int[n];
        for (int i = 0; i < n; i++) {
            inputLengths[i] = t - r.nextInt(t / 10 + 1);
            targetLengths[i] = s - r.nextInt(s / 4 + 1);
            for (int j = 0; j < s; j++) {
                targets[i][j] = 1 + r.nextInt(c - 1);
            }
        }
        return new BenchBatch(logits, Nd4j.createFromArray(targets), Nd4j.createFromArray(inputLengths),
                Nd4j.createFromArray(targetLengths));
    }
}
