package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * A random CTC problem for property tests: random shapes and blank, labels drawn from few classes (so repeats
 * are common), ragged lengths including empty targets and inputs too short to align.
 */
final class RandomCtcCase {
    final int t, n, c, s, blank;
    final double[][][] logProbs;   // [N][T][C], rows are log-softmax
    final int[][] targets;         // [N][tl[n]]
    final int[] inputLengths, targetLengths;

    RandomCtcCase(Random r) {
        this(r, r.nextBoolean() ? 1.0 : 4.0);
    }

    /** @param scale standard deviation of the raw scores: large values make peaky distributions */
    RandomCtcCase(Random r, double scale) {
        t = 1 + r.nextInt(16);
        n = 1 + r.nextInt(4);
        c = 2 + r.nextInt(8);
        blank = r.nextInt(c);
        s = r.nextInt(7);
        logProbs = new double[n][t][c];
        for (double[][] sample : logProbs) {
            for (double[] frame : sample) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    frame[k] = r.nextGaussian() * scale;
                    max = Math.max(max, frame[k]);
                }
                double sum = 0;
                for (int k = 0; k < c; k++) sum += Math.exp(frame[k] - max);
                double logZ = max + Math.log(sum);
                for (int k = 0; k < c; k++) frame[k] -= logZ;
            }
        }
        targets = new int[n][];
        inputLengths = new int[n];
        targetLengths = new int[n];
        int distinct = 1 + r.nextInt(Math.min(3, c - 1));
        for (int i = 0; i < n; i++) {
            targetLengths[i] = s == 0 ? 0 : r.nextInt(s + 1);
            inputLengths[i] = r.nextInt(4) == 0 ? r.nextInt(t + 1) : t;
            targets[i] = new int[targetLengths[i]];
            for (int j = 0; j < targetLengths[i]; j++) {
                int label = r.nextInt(distinct);
                targets[i][j] = label >= blank ? label + 1 : label;
            }
        }
    }

    /** [T, N, C] or [N, T, C]. */
    INDArray logProbsArray(CtcLayout layout) {
        INDArray ntc = Nd4j.create(logProbs);
        return layout == CtcLayout.NTC ? ntc : ntc.permute(1, 0, 2).dup('c');
    }

    INDArray padded(DataType type) {
        int[][] out = new int[n][Math.max(s, 0)];
        for (int i = 0; i < n; i++) System.arraycopy(targets[i], 0, out[i], 0, targets[i].length);
        return s == 0 ? Nd4j.create(type, n, 0) : Nd4j.createFromArray(out).castTo(type);
    }

    INDArray concatenated() {
        return Nd4j.createFromArray(java.util.Arrays.stream(targets).flatMapToInt(java.util.Arrays::stream).toArray());
    }

    double referenceNll(int i) {
        if (targetLengths[i] > inputLengths[i]) return Double.POSITIVE_INFINITY;
        return CtcReference.nll(logProbs[i], inputLengths[i], targets[i], blank);
    }

    double[][] referencePosteriors(int i) {
        return CtcReference.posteriors(logProbs[i], inputLengths[i], targets[i], blank, c);
    }

    @Override
    public String toString() {
        return "T=" + t + " N=" + n + " C=" + c + " S=" + s + " blank=" + blank + " il="
                + java.util.Arrays.toString(inputLengths) + " tl=" + java.util.Arrays.toString(targetLengths)
                + " targets=" + java.util.Arrays.deepToString(targets);
    }
}
