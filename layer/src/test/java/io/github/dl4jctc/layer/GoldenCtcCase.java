package io.github.dl4jctc.layer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of PyTorch's golden CTC values ({@code golden/torch_ctc_cases_small.json}, a subset of the project's
 * {@code torch_ctc_cases.json}), with the arrays the layer tests need built from it.
 */
final class GoldenCtcCase {
    private static final String RESOURCE = "/golden/torch_ctc_cases_small.json";

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

    private GoldenCtcCase(JsonNode j) {
        name = j.get("name").asText();
        t = j.get("T").asInt();
        n = j.get("N").asInt();
        c = j.get("C").asInt();
        s = j.get("S").asInt();
        blank = j.get("blank").asInt();
        zeroInfinity = j.get("zero_infinity").asBoolean();
        logits = doubles(j.get("logits"));
        targets = doubles(j.get("targets"));
        inputLengths = ints(j.get("input_lengths"));
        targetLengths = ints(j.get("target_lengths"));
        lossNone = doubles(j.get("loss_none"));
        lossMean = j.get("loss_mean").asDouble();
        lossSum = j.get("loss_sum").asDouble();
        gradMean = doubles(j.get("grad_mean"));
        gradSum = doubles(j.get("grad_sum"));
    }

    static List<GoldenCtcCase> all() {
        ObjectMapper mapper = new ObjectMapper().configure(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS, true);
        try (InputStream in = GoldenCtcCase.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            List<GoldenCtcCase> out = new ArrayList<>();
            for (JsonNode j : mapper.readTree(in).get("cases")) {
                out.add(new GoldenCtcCase(j));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
