package io.github.dl4jctc.ops;

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
 * One PyTorch 1.13 golden case from {@code golden/torch_ctc_cases.json} (see the README there). Public because
 * the layer module's tests read the same cases (through this module's test jar).
 */
public final class GoldenCase {
    public final String name;
    public final int t, n, c, s, blank;
    public final boolean zeroInfinity;
    public final double[] logits;        // [T, N, C] row-major
    public final int[] targets;          // [N, S] row-major
    public final int[] inputLengths, targetLengths;
    public final double[] lossNone;
    public final double lossMean, lossSum;
    public final double[] gradMean, gradSum; // w.r.t. logits, [T, N, C]

    private GoldenCase(JsonNode j) {
        name = j.get("name").asText();
        t = j.get("T").asInt();
        n = j.get("N").asInt();
        c = j.get("C").asInt();
        s = j.get("S").asInt();
        blank = j.get("blank").asInt();
        zeroInfinity = j.get("zero_infinity").asBoolean();
        logits = doubles(j.get("logits"));
        targets = ints(j.get("targets"));
        inputLengths = ints(j.get("input_lengths"));
        targetLengths = ints(j.get("target_lengths"));
        lossNone = doubles(j.get("loss_none"));
        lossMean = j.get("loss_mean").asDouble();
        lossSum = j.get("loss_sum").asDouble();
        gradMean = doubles(j.get("grad_mean"));
        gradSum = doubles(j.get("grad_sum"));
    }

    public static List<GoldenCase> all() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
        try (InputStream in = GoldenCase.class.getResourceAsStream("/golden/torch_ctc_cases.json")) {
            List<GoldenCase> out = new ArrayList<>();
            for (JsonNode j : mapper.readTree(in).get("cases")) {
                out.add(new GoldenCase(j));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    INDArray logitsTnc(DataType type) {
        return Nd4j.createFromArray(logits).reshape(t, n, c).castTo(type);
    }

    INDArray targetsPadded() {
        return Nd4j.createFromArray(targets).reshape(n, s);
    }

    INDArray targetsConcatenated() {
        List<Integer> flat = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < targetLengths[i]; j++) {
                flat.add(targets[i * s + j]);
            }
        }
        return Nd4j.createFromArray(flat.stream().mapToInt(Integer::intValue).toArray());
    }

    INDArray inputLengthsArray() {
        return Nd4j.createFromArray(inputLengths);
    }

    INDArray targetLengthsArray() {
        return Nd4j.createFromArray(targetLengths);
    }

    CtcOptions options(CtcReduction reduction, CtcLayout layout) {
        return CtcOptions.builder().blank(blank).reduction(reduction).zeroInfinity(zeroInfinity).layout(layout).build();
    }

    @Override
    public String toString() {
        return name;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asDouble();
        return out;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }
}
