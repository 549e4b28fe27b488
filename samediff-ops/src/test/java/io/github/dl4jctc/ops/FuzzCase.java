package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

/**
 * One random CTC call for the fuzz comparison with {@link CtcReference}, drawn to reach the corners: T up to 300,
 * C up to 61, the blank anywhere (often last, above the padded target width), labels from a small pool (repeats)
 * or the whole vocabulary, empty targets, zero-length inputs, inputs exactly as long as the target needs and one
 * frame shorter (infeasible), padding past the target lengths holding garbage (-1, C, NaN), scores from flat
 * (scale 0.1) to peaky (scale 50) and, rarely, extreme (scale 150, where the CPU kernel's scaled recursion runs
 * out of range and hands the sample to libnd4j), log-probabilities of -inf, logits shifted per frame, every
 * reduction, layout and target form, with and without {@code zeroInfinity}.
 */
final class FuzzCase {
    enum TargetForm { PADDED_INT, PADDED_LONG, PADDED_DOUBLE, CONCATENATED }

    private static final double[] SCALES = {0.1, 1, 3, 10, 50};

    final int t, n, c, width;
    final double scale;
    final boolean fromLogits;
    final CtcOptions options;
    final TargetForm form;
    /** [N][T][C]: logits when {@link #fromLogits}, else log-probabilities. */
    final double[][][] scores;
    /** [N][T][C]: log_softmax of the scores, in float64. */
    final double[][][] logProbs;
    final int[][] targets;
    final int[] inputLengths, targetLengths;
    private final double[][] padding;

    /** Case {@code index} of the run with {@code seed}: each case has its own generator, so any can be rebuilt alone. */
    static FuzzCase of(long seed, int index) {
        return new FuzzCase(new Random(seed * 0x9E3779B97F4A7C15L + index));
    }

    FuzzCase(Random r) {
        t = 1 + r.nextInt(r.nextInt(8) == 0 ? 300 : 50);
        n = 1 + r.nextInt(6);
        c = 2 + r.nextInt(r.nextBoolean() ? 8 : 60);
        int blank = r.nextInt(3) == 0 ? c - 1 : r.nextInt(c);
        fromLogits = r.nextBoolean();
        scale = r.nextInt(40) == 0 ? 150 : SCALES[r.nextInt(SCALES.length)];
        options = CtcOptions.builder().blank(blank)
                .reduction(CtcReduction.values()[r.nextInt(CtcReduction.values().length)])
                .zeroInfinity(r.nextBoolean())
                .layout(r.nextBoolean() ? CtcLayout.TNC : CtcLayout.NTC)
                .build();
        form = TargetForm.values()[r.nextInt(TargetForm.values().length)];

        int[] pool = labelPool(r, blank);
        int longest = r.nextInt(Math.min(t + 3, 40) + 1);
        targets = new int[n][];
        targetLengths = new int[n];
        inputLengths = new int[n];
        for (int i = 0; i < n; i++) {
            targetLengths[i] = r.nextInt(5) == 0 ? 0 : r.nextInt(longest + 1);
            targets[i] = new int[targetLengths[i]];
            for (int j = 0; j < targetLengths[i]; j++) {
                targets[i][j] = pool[r.nextInt(pool.length)];
            }
            inputLengths[i] = inputLength(r, targets[i]);
        }
        width = Arrays.stream(targetLengths).max().orElse(0) + (r.nextInt(3) == 0 ? r.nextInt(4) : 0);
        padding = new double[n][width];
        double[] garbage = {0, -1, c, blank, form == TargetForm.PADDED_DOUBLE ? Double.NaN : 0};
        for (double[] row : padding) {
            double fill = garbage[r.nextInt(garbage.length)];
            Arrays.fill(row, fill);
        }

        boolean withMinusInfinity = r.nextInt(8) == 0;
        scores = new double[n][t][c];
        logProbs = new double[n][t][c];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < t; f++) {
                double shift = fromLogits ? 20 * r.nextGaussian() : 0;
                for (int k = 0; k < c; k++) {
                    scores[i][f][k] = scale * r.nextGaussian() + shift;
                }
                if (withMinusInfinity) {
                    // class 0 stays finite so that no frame is all -inf (its log-softmax would be NaN)
                    for (int k = 1; k < c; k++) {
                        if (r.nextInt(10) == 0) scores[i][f][k] = Double.NEGATIVE_INFINITY;
                    }
                }
                logProbs[i][f] = logSoftmax(scores[i][f]);
                if (!fromLogits) {
                    scores[i][f] = logProbs[i][f].clone();
                }
            }
        }
    }

    /** A handful of non-blank classes (so that labels repeat) or all of them. */
    private int[] labelPool(Random r, int blank) {
        int[] all = new int[c - 1];
        for (int k = 0, j = 0; k < c; k++) {
            if (k != blank) all[j++] = k;
        }
        if (r.nextBoolean()) {
            return all;
        }
        int size = 1 + r.nextInt(Math.min(3, all.length));
        int[] pool = new int[size];
        for (int j = 0; j < size; j++) pool[j] = all[r.nextInt(all.length)];
        return pool;
    }

    /** All frames, any number, none, or exactly as many as the target needs, or one fewer. */
    private int inputLength(Random r, int[] target) {
        int needed = minimumFrames(target);
        switch (r.nextInt(6)) {
            case 0: return r.nextInt(t + 1);
            case 1: return Math.min(needed, t);
            case 2: return Math.max(0, Math.min(needed - 1, t));
            case 3: return r.nextInt(4) == 0 ? 0 : t;
            default: return t;
        }
    }

    static int minimumFrames(int[] target) {
        int frames = target.length;
        for (int j = 1; j < target.length; j++) {
            if (target[j] == target[j - 1]) frames++;
        }
        return frames;
    }

    static double[] logSoftmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) max = Math.max(max, v);
        double sum = 0;
        for (double v : x) sum += Math.exp(v - max);
        double logZ = max + Math.log(sum);
        double[] out = new double[x.length];
        for (int k = 0; k < x.length; k++) out[k] = x[k] - logZ;
        return out;
    }

    // ---- the call's arrays ----

    INDArray scoresArray() {
        INDArray ntc = Nd4j.create(scores);
        return options.layout() == CtcLayout.NTC ? ntc : ntc.permute(1, 0, 2).dup('c');
    }

    INDArray targetsArray() {
        if (form == TargetForm.CONCATENATED) {
            return Nd4j.createFromArray(Arrays.stream(targets).flatMapToInt(Arrays::stream).toArray());
        }
        double[][] padded = new double[n][];
        for (int i = 0; i < n; i++) {
            padded[i] = padding[i].clone();
            for (int j = 0; j < targetLengths[i]; j++) padded[i][j] = targets[i][j];
        }
        DataType type = form == TargetForm.PADDED_INT ? DataType.INT
                : form == TargetForm.PADDED_LONG ? DataType.LONG : DataType.DOUBLE;
        return width == 0 ? Nd4j.create(type, n, 0) : Nd4j.createFromArray(padded).castTo(type);
    }

    INDArray inputLengthsArray() {
        return Nd4j.createFromArray(inputLengths);
    }

    INDArray targetLengthsArray() {
        return Nd4j.createFromArray(targetLengths);
    }

    // ---- what PyTorch's ctc_loss gives, in float64 ----

    /** Negative log-likelihood of sample i before zeroInfinity: +inf when no alignment exists. */
    double referenceNll(int i) {
        if (minimumFrames(targets[i]) > inputLengths[i]) return Double.POSITIVE_INFINITY;
        return CtcReference.nll(logProbs[i], inputLengths[i], targets[i], options.blank());
    }

    /** The weight of sample i's loss in the reduced loss. */
    double weight(int i) {
        return options.reduction() == CtcReduction.MEAN ? 1.0 / ((double) n * Math.max(targetLengths[i], 1)) : 1.0;
    }

    /** The sample's loss after zeroInfinity. */
    double referenceLoss(int i) {
        double nll = referenceNll(i);
        return options.zeroInfinity() && nll == Double.POSITIVE_INFINITY ? 0.0 : nll;
    }

    /** The reduced loss: [N] for NONE, one value otherwise. */
    double[] referenceReducedLoss() {
        double[] per = new double[n];
        for (int i = 0; i < n; i++) per[i] = referenceLoss(i);
        if (options.reduction() == CtcReduction.NONE) return per;
        double sum = 0;
        for (int i = 0; i < n; i++) sum += per[i] * weight(i);
        return new double[]{sum};
    }

    /**
     * The gradient of sample i, {@code [T][C]}, divided by the sample's weight (so every entry lies in [-1, 1]):
     * {@code softmax - posterior} for logits, {@code -posterior} for log-probabilities; NaN on valid frames of an
     * infinite loss, 0 when zeroInfinity zeroed it; 0 past the input length.
     */
    double[][] referenceUnitGradient(int i) {
        double[][] g = new double[t][c];
        double nll = referenceNll(i);
        int frames = inputLengths[i];
        if (!Double.isFinite(nll)) {
            double fill = options.zeroInfinity() && nll == Double.POSITIVE_INFINITY ? 0.0 : Double.NaN;
            for (int f = 0; f < frames; f++) Arrays.fill(g[f], fill);
            return g;
        }
        double[][] gamma = CtcReference.posteriors(logProbs[i], frames, targets[i], options.blank(), c);
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k < c; k++) {
                g[f][k] = (fromLogits ? Math.exp(logProbs[i][f][k]) : 0.0) - gamma[f][k];
            }
        }
        return g;
    }

    boolean infeasible(int i) {
        return minimumFrames(targets[i]) > inputLengths[i];
    }

    @Override
    public String toString() {
        return "T=" + t + " N=" + n + " C=" + c + " S=" + width + " scale=" + scale + " " + options
                + (fromLogits ? " logits" : " logProbs") + " " + form + " il=" + Arrays.toString(inputLengths)
                + " tl=" + Arrays.toString(targetLengths);
    }
}
