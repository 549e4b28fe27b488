package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.GoldenCase;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * One case of PyTorch's golden CTC values (samediff-ops' {@link GoldenCase}, shared through its test jar) with
 * the arrays the layer tests need built from it. The two largest cases (T = 400, C = 600) are left out: the op's
 * own tests cover them, and here they would only slow the network-level tests down.
 */
final class GoldenCtcCase {
    private static final List<String> LEFT_OUT = List.of("long_sequence", "large_vocab");

    final String name;
    final int t;
    final int n;
    final int c;
    final int s;
    final int blank;
    final boolean zeroInfinity;
    /** Logits {@code [T, N, C]} row-major. */
    final double[] logits;
    /** Padded targets {@code [N, S]} row-major. */
    final double[] targets;
    final int[] inputLengths;
    final int[] targetLengths;
    final double[] lossNone;
    final double lossMean;
    final double lossSum;
    /** Gradients of the mean / sum loss w.r.t. the logits, {@code [T, N, C]} row-major. */
    final double[] gradMean;
    final double[] gradSum;

    private GoldenCtcCase(GoldenCase g) {
        name = g.name;
        t = g.t;
        n = g.n;
        c = g.c;
        s = g.s;
        blank = g.blank;
        zeroInfinity = g.zeroInfinity;
        logits = g.logits;
        targets = java.util.Arrays.stream(g.targets).asDoubleStream().toArray();
        inputLengths = g.inputLengths;
        targetLengths = g.targetLengths;
        lossNone = g.lossNone;
        lossMean = g.lossMean;
        lossSum = g.lossSum;
        gradMean = g.gradMean;
        gradSum = g.gradSum;
    }

    static List<GoldenCtcCase> all() {
        List<GoldenCtcCase> out = new ArrayList<>();
        for (GoldenCase g : GoldenCase.all()) {
            if (!LEFT_OUT.contains(g.name)) {
                out.add(new GoldenCtcCase(g));
            }
        }
        return out;
    }

    static GoldenCtcCase named(String name) {
        return all().stream().filter(g -> g.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no golden case " + name));
    }

    /** The logits as layer input {@code [N, C, T]}: with W = identity and b = 0 the layer's logits are these. */
    INDArray inputNcw(DataType type) {
        return tncToNtc(logits, type).permute(0, 2, 1).dup('c');
    }

    /** The logits as layer input {@code [N, T, C]}. */
    INDArray inputNwc(DataType type) {
        return tncToNtc(logits, type);
    }

    /** A gradient from the file, {@code [T, N, C]} row-major, as {@code [N, C, T]}. */
    INDArray gradientNcw(double[] tncGradient) {
        return tncToNtc(tncGradient, DataType.DOUBLE).permute(0, 2, 1).dup('c');
    }

    /** Padded targets {@code [N, S]} as class indices in the given floating point type. */
    INDArray labels(DataType type) {
        return Nd4j.create(targets, new long[]{n, s}, DataType.DOUBLE).castTo(type);
    }

    INDArray labelsMask(DataType type) {
        return prefixMask(targetLengths, s, type);
    }

    INDArray featuresMask(DataType type) {
        return prefixMask(inputLengths, t, type);
    }

    boolean hasFiniteGradients() {
        for (double v : gradMean) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name;
    }

    static INDArray prefixMask(int[] lengths, int width, DataType type) {
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, lengths.length, width);
        for (int i = 0; i < lengths.length; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                mask.putScalar(i, j, 1.0);
            }
        }
        return mask.castTo(type);
    }

    private INDArray tncToNtc(double[] tnc, DataType type) {
        return Nd4j.create(tnc, new long[]{t, n, c}, DataType.DOUBLE).permute(1, 0, 2).dup('c').castTo(type);
    }
}
