package io.github.dl4jctc.layer.recurrent;

import io.github.dl4jctc.layer.DoublePrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libnd4j's {@code lstmLayer}/{@code lstmLayer_bp} as 1.0.0-M2.1 runs them (float64, both directions concatenated,
 * {@code [N, C, T]}, lengths 6, 3, 1, 5 of T = 6): the native gradient with {@code seqLen} is that of the forward
 * pass, and SameDiff's gradient of the same op is not (why the layer calls the ops itself).
 */
@ExtendWith(DoublePrecision.class)
class FusedLstmOpsTest {
    private static final int N_IN = 3;
    private static final int N_OUT = 2;
    private static final int T = 6;
    private static final int[] LENGTHS = {6, 3, 1, 5};

    private final INDArray x;
    private final INDArray w;
    private final INDArray rw;
    private final INDArray b;
    private final INDArray r;

    FusedLstmOpsTest() {
        Nd4j.getRandom().setSeed(1);
        x = Nd4j.randn(DataType.DOUBLE, LENGTHS.length, N_IN, T);
        w = Nd4j.randn(DataType.DOUBLE, 2, N_IN, 4 * N_OUT);
        rw = Nd4j.randn(DataType.DOUBLE, 2, N_OUT, 4 * N_OUT);
        b = Nd4j.randn(DataType.DOUBLE, 2, 4 * N_OUT);
        r = Nd4j.randn(DataType.DOUBLE, LENGTHS.length, 2 * N_OUT, T);
    }

    private INDArray seqLen() {
        return Nd4j.createFromArray(LENGTHS);
    }

    /** sum(h * r) with ragged lengths. */
    private double loss() {
        INDArray h = Nd4j.create(DataType.DOUBLE, LENGTHS.length, 2 * N_OUT, T);
        FusedLstmOps.forward(x, w, rw, b, seqLen(), FusedLstmOps.NST, FusedLstmOps.BIDIR_CONCAT, 0, h);
        return h.mul(r).sumNumber().doubleValue();
    }

    /** dx, dW, dRW, db of sum(h * r), with or without the lengths. */
    private INDArray[] gradients(boolean withLengths) {
        INDArray[] g = {Nd4j.create(DataType.DOUBLE, x.shape()), Nd4j.create(DataType.DOUBLE, w.shape()),
                Nd4j.create(DataType.DOUBLE, rw.shape()), Nd4j.create(DataType.DOUBLE, b.shape())};
        FusedLstmOps.backward(x, w, rw, b, withLengths ? seqLen() : null, FusedLstmOps.NST,
                FusedLstmOps.BIDIR_CONCAT, 0, r, g[0], g[1], g[2], g[3],
                withLengths ? Nd4j.create(DataType.DOUBLE, LENGTHS.length) : null);
        return g;
    }

    @Test
    void nativeGradientWithSequenceLengthsMatchesFiniteDifferences() {
        INDArray[] analytic = gradients(true);
        INDArray[] variables = {x, w, rw, b};
        double eps = 1e-6;
        double worst = 0;
        for (int v = 0; v < variables.length; v++) {
            INDArray flat = variables[v].reshape(variables[v].length());
            INDArray grad = analytic[v].reshape(analytic[v].length());
            for (int k = 0; k < flat.length(); k++) {
                double original = flat.getDouble(k);
                flat.putScalar(k, original + eps);
                double plus = loss();
                flat.putScalar(k, original - eps);
                double minus = loss();
                flat.putScalar(k, original);
                double numeric = (plus - minus) / (2 * eps);
                worst = Math.max(worst, Math.abs(numeric - grad.getDouble(k)) / Math.max(1.0, Math.abs(numeric)));
            }
        }
        assertTrue(worst < 1e-7, "worst error " + worst);
        // Padded input steps get no gradient.
        assertEquals(0.0, analytic[0].get(org.nd4j.linalg.indexing.NDArrayIndex.point(2),
                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, T)).amaxNumber().doubleValue(), 0.0);
    }

    /**
     * ND4J 1.0.0-M2.1 defect: {@code sd.rnn().lstmLayer(...)} with a seqLen computes the masked forward pass, but
     * its SameDiff gradient is the native gradient without seqLen (the gradient graph's copy of the op loses the
     * seqLen variable), which differs from the gradient of that forward pass.
     */
    @Test
    void sameDiffGradientOfLstmLayerIgnoresSequenceLengths() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.DOUBLE, -1, N_IN, -1);
        SDVariable lengths = sd.placeHolder("lengths", DataType.INT32, -1);
        SDVariable weights = sd.var("W", w.dup());
        SDVariable recurrent = sd.var("RW", rw.dup());
        SDVariable bias = sd.var("b", b.dup());
        LSTMLayerConfig config = LSTMLayerConfig.builder().lstmdataformat(LSTMDataFormat.NST)
                .directionMode(LSTMDirectionMode.BIDIR_CONCAT).gateAct(LSTMActivations.SIGMOID)
                .cellAct(LSTMActivations.TANH).outAct(LSTMActivations.TANH).retFullSequence(true).build();
        SDVariable h = sd.rnn().lstmLayer(in, null, null, lengths,
                LSTMLayerWeights.builder().weights(weights).rWeights(recurrent).bias(bias).build(), config)[0];
        SDVariable loss = h.mul(sd.constant("r", r)).sum();
        sd.setLossVariables(loss);
        Map<String, INDArray> placeholders = new HashMap<>();
        placeholders.put("input", x);
        placeholders.put("lengths", seqLen());

        assertEquals(loss(), sd.output(placeholders, loss.name()).get(loss.name()).getDouble(0), 1e-12);
        INDArray sameDiffGradient = sd.calculateGradients(placeholders, "W").get("W");
        INDArray withLengths = gradients(true)[1];
        INDArray withoutLengths = gradients(false)[1];
        assertEquals(0.0, sameDiffGradient.sub(withoutLengths).amaxNumber().doubleValue(), 1e-12);
        assertTrue(sameDiffGradient.sub(withLengths).amaxNumber().doubleValue()
                > 0.1 * withLengths.amaxNumber().doubleValue());
    }
}
