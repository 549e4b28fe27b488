package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.ops.Ctc;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import io.github.dl4jctc.ops.CtcReduction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CtcForcedAlignerTest {

    @Test
    void handComputedAlignmentWithARepeat() {
        // Target "a a" over 4 frames: the repeat forces a blank between the two a's.
        double[][] p = {{0.1, 0.8, 0.1}, {0.5, 0.4, 0.1}, {0.6, 0.3, 0.1}, {0.2, 0.7, 0.1}};
        CtcAlignment a = CtcForcedAligner.align(floats(logs(p)), new int[]{1, 1}, 0);
        assertTrue(a.feasible());
        // Paths: a_ _a (.8*.5*.6*.7 = .168), aa_a (.8*.4*.6*.7 = .1344), a_aa (.8*.5*.3*.7 = .084), _a_a, a__a...
        assertArrayEquals(new int[]{1, 0, 0, 1}, a.frameLabels());
        assertEquals(Math.log(0.8 * 0.5 * 0.6 * 0.7), a.logProbability(), 1e-6);
        assertEquals(List.of(new TokenSpan(1, 0, 1, 0.8), new TokenSpan(1, 3, 4, 0.7)), rounded(a.spans()));
        assertEquals(4, a.frameScores().length);
        assertEquals(Math.log(0.6), a.frameScores()[2], 1e-6);

        // Two frames cannot hold "a _ a": not feasible, no exception.
        CtcAlignment tooShort = CtcForcedAligner.align(floats(logs(Arrays.copyOf(p, 2))), new int[]{1, 1}, 0);
        assertFalse(tooShort.feasible());
        assertEquals(0, tooShort.frameLabels().length);
        assertEquals(Double.NEGATIVE_INFINITY, tooShort.logProbability());
        assertTrue(tooShort.spans().isEmpty());
    }

    /** Integer log-probabilities: sums are exact, so ties are frequent and exact; the reference breaks them as torchaudio. */
    @Test
    void matchesTheBruteForceReferenceIncludingTies() {
        Random random = new Random(11);
        int cases = 0;
        int tiedCases = 0;
        for (int round = 0; round < 600; round++) {
            int t = 1 + random.nextInt(7);
            int c = 2 + random.nextInt(3);
            int blank = random.nextInt(c);
            boolean integer = round % 2 == 0;
            double[][] lp = new double[t][c];
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < c; j++) {
                    lp[i][j] = integer ? -random.nextInt(3) : Math.log(random.nextDouble());
                    if (random.nextInt(12) == 0) {
                        lp[i][j] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
            int[] target = randomTarget(random, 1 + random.nextInt(4) - 1, c, blank, round % 3 == 0);
            int[] expected = BruteForceAlignment.bestPath(lp, target, blank);
            CtcAlignment actual = CtcForcedAligner.align(floats(lp), target, blank);
            String where = "round " + round + " target " + Arrays.toString(target) + " blank " + blank;
            if (expected == null) {
                assertFalse(actual.feasible(), where);
                continue;
            }
            cases++;
            assertTrue(actual.feasible(), where);
            assertArrayEquals(expected, actual.frameLabels(), where);
            double sum = 0;
            for (int i = 0; i < t; i++) {
                assertEquals(lp[i][expected[i]], actual.frameScores()[i], 1e-6, where);
                sum += actual.frameScores()[i];
            }
            assertEquals(sum, actual.logProbability(), 0.0, where);
            assertEquals(target.length, actual.spans().size(), where);
            if (integer && countBest(lp, target, blank) > 1) {
                tiedCases++;
            }
        }
        assertTrue(cases > 300, "feasible cases: " + cases);
        assertTrue(tiedCases > 50, "cases with tied best paths: " + tiedCases);
    }

    @Test
    void batchEqualsEachSampleAloneInEveryLayoutAndTargetForm() {
        Random random = new Random(5);
        for (int round = 0; round < 40; round++) {
            int n = 1 + random.nextInt(12);
            int maxT = 1 + random.nextInt(30);
            int c = 2 + random.nextInt(8);
            int blank = random.nextInt(c);
            double[][][] lp = new double[n][maxT][c];
            int[] inputLengths = new int[n];
            int[][] targets = new int[n][];
            for (int i = 0; i < n; i++) {
                inputLengths[i] = random.nextInt(maxT + 1);
                for (int t = 0; t < maxT; t++) {
                    double[] p = Frames.randomFrames(random, 1, c)[0];
                    for (int k = 0; k < c; k++) {
                        lp[i][t][k] = Math.log(p[k]);
                    }
                }
                // Some targets longer than the frames allow: those samples are infeasible.
                targets[i] = randomTarget(random, random.nextInt(maxT / 2 + 3), c, blank, random.nextBoolean());
            }
            CtcLayout layout = random.nextBoolean() ? CtcLayout.TNC : CtcLayout.NTC;
            DataType type = random.nextBoolean() ? DataType.FLOAT : DataType.DOUBLE;
            INDArray ntc = Nd4j.createFromArray(lp).castTo(type);
            INDArray scores = layout == CtcLayout.TNC ? ntc.permute(1, 0, 2).dup('c') : ntc;
            if (random.nextInt(4) == 0) {
                scores = layout == CtcLayout.TNC ? ntc.permute(1, 0, 2) : ntc.permute(1, 0, 2).dup('c').permute(1, 0, 2);
            }
            boolean concatenated = random.nextBoolean();
            INDArray targetArray = concatenated ? concatenated(targets) : padded(targets);
            CtcOptions options = CtcOptions.builder().blank(blank).layout(layout).build();
            List<CtcAlignment> batch = CtcForcedAligner.align(scores, targetArray, Nd4j.createFromArray(inputLengths),
                    Nd4j.createFromArray(Arrays.stream(targets).mapToInt(x -> x.length).toArray()), options);
            assertEquals(n, batch.size());
            for (int i = 0; i < n; i++) {
                float[][] alone = new float[inputLengths[i]][];
                double[][] exact = new double[inputLengths[i]][];
                for (int t = 0; t < inputLengths[i]; t++) {
                    alone[t] = new float[c];
                    exact[t] = new double[c];
                    for (int k = 0; k < c; k++) {
                        alone[t][k] = (float) lp[i][t][k];
                        exact[t][k] = type == DataType.FLOAT ? (float) lp[i][t][k] : lp[i][t][k];
                    }
                }
                CtcAlignment expected = type == DataType.FLOAT
                        ? CtcForcedAligner.align(alone, targets[i], blank)
                        : CtcAlignment.of(CtcViterbi.align(flat(exact), 0, exact.length, c, targets[i], blank), blank);
                assertEquals(expected, batch.get(i), "round " + round + " sample " + i);
                if (batch.get(i).feasible()) {
                    assertEquals(inputLengths[i], batch.get(i).frameLabels().length);
                }
            }
        }
    }

    @Test
    void feasibilityAgreesWithAFiniteCtcLoss() {
        // targets "a a b" (needs 4 frames), "a b" (2), "" (0) over 3 frames; one sample with a -inf column.
        double[][][] lp = new double[4][3][3];
        for (double[][] sample : lp) {
            for (double[] frame : sample) {
                Arrays.fill(frame, Math.log(1.0 / 3));
            }
        }
        lp[3][1][0] = Double.NEGATIVE_INFINITY;   // sample 3 ("a") : frame 1 can be neither blank nor ...
        lp[3][1][1] = Double.NEGATIVE_INFINITY;   // ... a: every path of "a" crosses -inf
        INDArray scores = Nd4j.createFromArray(lp);
        INDArray targets = Nd4j.createFromArray(new int[][]{{1, 1, 2}, {1, 2, 0}, {0, 0, 0}, {1, 0, 0}});
        INDArray inputLengths = Nd4j.createFromArray(3, 3, 3, 3);
        INDArray targetLengths = Nd4j.createFromArray(3, 2, 0, 1);
        CtcOptions options = CtcOptions.builder().layout(CtcLayout.NTC).reduction(CtcReduction.NONE).build();
        List<CtcAlignment> a = CtcForcedAligner.align(scores, targets, inputLengths, targetLengths, options);
        double[] losses = Ctc.loss(scores, targets, inputLengths, targetLengths, options).toDoubleVector();
        for (int i = 0; i < 4; i++) {
            assertEquals(Double.isFinite(losses[i]), a.get(i).feasible(), "sample " + i);
        }
        assertFalse(a.get(0).feasible());
        assertArrayEquals(new int[]{0, 0, 0}, a.get(2).frameLabels());
        assertTrue(a.get(2).spans().isEmpty());
        assertEquals(3 * Math.log(1.0 / 3), a.get(2).logProbability(), 1e-12);
        // ties everywhere: "a b" enters a at frame 0 and b at frame 1, ends on b (torchaudio's rule)
        assertArrayEquals(new int[]{1, 2, 2}, a.get(1).frameLabels());
        // The best path never exceeds the total probability of the labelling.
        assertTrue(a.get(1).logProbability() <= -losses[1]);
    }

    @Test
    void halfPrecisionIsAlignedAsItsFloatValuesAndAlignmentsSerialise() throws Exception {
        Random random = new Random(9);
        double[][][] lp = new double[3][12][5];
        for (double[][] sample : lp) {
            for (int t = 0; t < sample.length; t++) {
                for (int k = 0; k < 5; k++) {
                    sample[t][k] = Math.log((0.1 + random.nextDouble()) / 3.5);   // no zero probabilities
                }
            }
        }
        INDArray half = Nd4j.createFromArray(lp).castTo(DataType.HALF);
        INDArray targets = Nd4j.createFromArray(new int[][]{{1, 2, 2}, {4, 3, 0}, {1, 1, 1}});
        INDArray inputLengths = Nd4j.createFromArray(12, 9, 5);
        INDArray targetLengths = Nd4j.createFromArray(3, 2, 3);
        CtcOptions ntc = CtcOptions.builder().layout(CtcLayout.NTC).build();
        List<CtcAlignment> fromHalf = CtcForcedAligner.align(half, targets, inputLengths, targetLengths, ntc);
        assertEquals(CtcForcedAligner.align(half.castTo(DataType.FLOAT), targets, inputLengths, targetLengths, ntc),
                fromHalf);
        assertTrue(fromHalf.get(0).feasible() && fromHalf.get(1).feasible() && fromHalf.get(2).feasible());

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(fromHalf));
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(fromHalf, in.readObject());
        }
    }

    @Test
    void wordsOfAnAlignment() {
        // "ab b" with 3 = space over frames a a b _ space b
        double[][] p = new double[6][4];
        int[] best = {1, 1, 2, 0, 3, 2};
        for (int t = 0; t < 6; t++) {
            Arrays.fill(p[t], 0.1);
            p[t][best[t]] = 0.7;
        }
        CtcAlignment a = CtcForcedAligner.align(floats(logs(p)), new int[]{1, 2, 3, 2}, 0);
        assertArrayEquals(best, a.frameLabels());
        List<WordSpan> words = a.words(3);
        assertEquals(2, words.size());
        assertEquals(0, words.get(0).startFrame());
        assertEquals(3, words.get(0).endFrame());
        assertEquals(5, words.get(1).startFrame());
        assertEquals(6, words.get(1).endFrame());
        assertEquals(0.7, words.get(0).confidence(), 1e-6);
    }

    @Test
    void refusesWhatCtcLossRefusesAndNaN() {
        INDArray scores = Nd4j.zeros(DataType.FLOAT, 4, 2, 3);   // TNC
        INDArray lengths = Nd4j.createFromArray(4, 4);
        refused(() -> CtcForcedAligner.align(scores, Nd4j.createFromArray(new int[][]{{1, 0}, {2, 2}}), lengths,
                Nd4j.createFromArray(2, 2), CtcOptions.defaults()), "targets", "blank");
        refused(() -> CtcForcedAligner.align(scores, Nd4j.createFromArray(new int[][]{{1, 3}, {2, 2}}), lengths,
                Nd4j.createFromArray(2, 2), CtcOptions.defaults()), "targets", "[0, 3)");
        refused(() -> CtcForcedAligner.align(scores, Nd4j.createFromArray(new int[][]{{1, 2}, {2, 2}}),
                Nd4j.createFromArray(4, 5), Nd4j.createFromArray(2, 2), CtcOptions.defaults()), "inputLengths", "T = 4");
        refused(() -> CtcForcedAligner.align(null, Nd4j.createFromArray(new int[][]{{1, 2}, {2, 2}}), lengths,
                Nd4j.createFromArray(2, 2), CtcOptions.defaults()), "logProbs", "null");
        refused(() -> CtcForcedAligner.align(scores, Nd4j.createFromArray(new int[][]{{1, 2}, {2, 2}}), lengths,
                Nd4j.createFromArray(2, 2), CtcOptions.builder().blank(3).build()), "blank", "[0, 3)");
        INDArray withNaN = scores.dup();
        withNaN.putScalar(new long[]{2, 1, 2}, Double.NaN);
        refused(() -> CtcForcedAligner.align(withNaN, Nd4j.createFromArray(new int[][]{{1, 2}, {2, 2}}), lengths,
                Nd4j.createFromArray(2, 2), CtcOptions.defaults()), "logProbs", "NaN", "sample 1, frame 2, class 2");
        refused(() -> CtcForcedAligner.align(new float[][]{{0, 0}, {0}}, new int[]{1}, 0), "logProbs", "frame 1");
        refused(() -> CtcForcedAligner.align(new float[][]{{0, 0}}, new int[]{2}, 0), "target", "[0, 2)");
        refused(() -> CtcForcedAligner.align(new float[][]{{0, 0}}, new int[]{0}, 0), "target", "blank = 0");
        refused(() -> CtcForcedAligner.align(new float[][]{{0, Float.NaN}}, new int[]{1}, 0), "logProbs", "NaN");
    }

    static void refused(org.junit.jupiter.api.function.Executable call, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String s : mustMention) {
            assertTrue(e.getMessage().contains(s), "'" + e.getMessage() + "' should mention " + s);
        }
    }

    private static int countBest(double[][] lp, int[] target, int blank) {
        int[] best = BruteForceAlignment.bestPath(lp, target, blank);
        double bestScore = 0;
        for (int i = 0; i < lp.length; i++) {
            bestScore += lp[i][best[i]];
        }
        int c = lp[0].length;
        int count = 0;
        int[] path = new int[lp.length];
        for (long code = 0; code < (long) Math.pow(c, lp.length); code++) {
            long rest = code;
            double score = 0;
            for (int i = 0; i < lp.length; i++) {
                path[i] = (int) (rest % c);
                rest /= c;
                score += lp[i][path[i]];
            }
            if (score == bestScore && BruteForceCtc.collapse(path, blank)
                    .equals(Arrays.stream(target).boxed().toList())) {
                count++;
            }
        }
        return count;
    }

    static int[] randomTarget(Random random, int length, int c, int blank, boolean repeats) {
        int[] target = new int[length];
        for (int s = 0; s < length; s++) {
            do {
                target[s] = repeats && s > 0 && random.nextBoolean() ? target[s - 1] : random.nextInt(c);
            } while (target[s] == blank);
        }
        return target;
    }

    static double[][] logs(double[][] p) {
        double[][] out = new double[p.length][];
        for (int t = 0; t < p.length; t++) {
            out[t] = Arrays.stream(p[t]).map(Math::log).toArray();
        }
        return out;
    }

    static float[][] floats(double[][] x) {
        float[][] out = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            out[t] = new float[x[t].length];
            for (int k = 0; k < x[t].length; k++) {
                out[t][k] = (float) x[t][k];
            }
        }
        return out;
    }

    private static double[] flat(double[][] x) {
        return Arrays.stream(x).flatMapToDouble(Arrays::stream).toArray();
    }

    private static INDArray padded(int[][] targets) {
        int s = Math.max(1, Arrays.stream(targets).mapToInt(x -> x.length).max().orElse(1));
        int[][] out = new int[targets.length][s];
        for (int i = 0; i < targets.length; i++) {
            System.arraycopy(targets[i], 0, out[i], 0, targets[i].length);
        }
        return Nd4j.createFromArray(out);
    }

    private static INDArray concatenated(int[][] targets) {
        List<Integer> all = new ArrayList<>();
        for (int[] t : targets) {
            for (int x : t) {
                all.add(x);
            }
        }
        return all.isEmpty() ? Nd4j.create(DataType.INT, 0) : Nd4j.createFromArray(all.stream().mapToInt(x -> x).toArray());
    }

    private static List<TokenSpan> rounded(List<TokenSpan> spans) {
        return spans.stream().map(s -> new TokenSpan(s.token(), s.startFrame(), s.endFrame(),
                Math.round(s.score() * 1e6) / 1e6)).toList();
    }

    @Test
    void aBackPointerTableBeyondAJavaArrayIsRefusedNotOverflowed() {
        int frames = 46341;                     // T x (2S + 1) = 46341^2 > Integer.MAX_VALUE
        int[] target = new int[23170];
        Arrays.fill(target, 1);
        float[][] rows = new float[frames][2];
        for (float[] row : rows) {
            Arrays.fill(row, (float) Math.log(0.5));
        }
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> CtcForcedAligner.align(rows, target, 0));
        assertTrue(plain.getMessage().contains("T x (2S + 1) = 2147488281"), plain.getMessage());

        INDArray logProbs = Nd4j.valueArrayOf(new long[]{frames, 1, 2}, Math.log(0.5), DataType.FLOAT);
        INDArray targets = Nd4j.ones(DataType.INT, 1, target.length);
        IllegalArgumentException batched = assertThrows(IllegalArgumentException.class,
                () -> CtcForcedAligner.align(logProbs, targets, Nd4j.createFromArray(frames),
                        Nd4j.createFromArray(target.length), CtcOptions.builder().blank(0).build()));
        assertTrue(batched.getMessage().startsWith("sample 0: got T = 46341 frames and S = 23170 labels"),
                batched.getMessage());
    }
}
