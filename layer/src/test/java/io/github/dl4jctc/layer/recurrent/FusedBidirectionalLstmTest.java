package io.github.dl4jctc.layer.recurrent;

import io.github.dl4jctc.layer.DoublePrecision;
import io.github.dl4jctc.layer.recurrent.MaskedBidirectionalPaddingInvarianceTest.GraphRunner;
import io.github.dl4jctc.layer.recurrent.MaskedBidirectionalPaddingInvarianceTest.MlnRunner;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static io.github.dl4jctc.layer.recurrent.BidirectionalNets.*;
import static io.github.dl4jctc.layer.recurrent.MaskedBidirectionalPaddingInvarianceTest.worstError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * {@link FusedBidirectionalLstm} in float64 on two stacked layers and a CtcOutputLayer, ragged lengths 6, 3, 1, 5 of
 * T = 6 with random values at padded steps: padding invariance, DL4J's gradient check, and the same function and
 * gradients as {@code MaskedBidirectional(LSTM)} given the same weights.
 */
@ExtendWith(DoublePrecision.class)
class FusedBidirectionalLstmTest {
    private static final double TOLERANCE = 1e-12;
    private static final double EPSILON = 1e-6;
    private static final double MAX_REL_ERROR = 1e-4;
    /** Below this, differences are finite-difference roundoff: a score near 14 moved by 1e-10 at epsilon 1e-6. */
    private static final double MIN_ABS_ERROR = 1e-8;
    /** libnd4j's gate blocks (input, forget, cell candidate, output) taken from DL4J's (cell, forget, output, input). */
    private static final int[] DL4J_BLOCK_OF_FUSED_BLOCK = {3, 1, 0, 2};

    /** The two ways of running ragged minibatches: by direction, and with the op's seqLen input. */
    private static final Wrapper[] WAYS = {FUSED, FUSED_OP_SEQ_LEN};

    @ParameterizedTest
    @EnumSource(Bidirectional.Mode.class)
    void paddingInvarianceMultiLayerNetwork(Bidirectional.Mode mode) {
        for (Wrapper way : WAYS) {
            for (RNNFormat format : RNNFormat.values()) {
                double error = worstError(new MlnRunner(mln(way, mode, format)), format);
                assertTrue(error <= TOLERANCE, format + ": relative error " + error);
            }
        }
    }

    @Test
    void paddingInvarianceComputationGraph() {
        for (Wrapper way : WAYS) {
            double error = worstError(new GraphRunner(graph(way, Bidirectional.Mode.MUL, RNNFormat.NWC)),
                    RNNFormat.NWC);
            assertTrue(error <= TOLERANCE, "relative error " + error);
        }
    }

    @Test
    void outputsAtPaddedStepsAreZero() {
        for (Wrapper way : WAYS) {
            outputsAtPaddedStepsAreZero(way);
        }
    }

    private static void outputsAtPaddedStepsAreZero(Wrapper way) {
        MultiLayerNetwork net = mln(way, Bidirectional.Mode.AVERAGE, RNNFormat.NCW);
        net.setLayerMaskArrays(prefixMask(INPUT_LENGTHS, T), null);
        List<INDArray> acts = net.feedForward(inputNcw(), false);
        for (int layer = 1; layer <= 2; layer++) {
            INDArray a = acts.get(layer);
            for (int i = 0; i < N; i++) {
                INDArray padded = a.get(point(i), all(), interval(INPUT_LENGTHS[i], T));
                assertEquals(0.0, padded.length() == 0 ? 0.0 : padded.amaxNumber().doubleValue(), 0.0);
                assertTrue(a.get(point(i), all(), interval(0, INPUT_LENGTHS[i])).amaxNumber().doubleValue() > 0);
            }
        }
    }

    /** CONCAT runs ragged minibatches by direction, MUL through the op's seqLen input. */
    @ParameterizedTest
    @EnumSource(value = Bidirectional.Mode.class, names = {"CONCAT", "MUL"})
    void gradientCheckNcw(Bidirectional.Mode mode) {
        Wrapper way = mode == Bidirectional.Mode.CONCAT ? FUSED : FUSED_OP_SEQ_LEN;
        assertTrue(check(mln(way, mode, RNNFormat.NCW, 2, 2), RNNFormat.NCW));
    }

    @Test
    void gradientCheckNwc() {
        assertTrue(check(mln(FUSED, Bidirectional.Mode.ADD, RNNFormat.NWC, 2, 2), RNNFormat.NWC));
    }

    @Test
    void gradientCheckComputationGraph() {
        ComputationGraph net = graph(FUSED_OP_SEQ_LEN, Bidirectional.Mode.AVERAGE, RNNFormat.NCW, 2, 2);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{inputNcw()}).labels(new INDArray[]{labels()})
                .inputMask(new INDArray[]{prefixMask(INPUT_LENGTHS, T)})
                .labelMask(new INDArray[]{prefixMask(TARGET_LENGTHS, S)})
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    private static boolean check(MultiLayerNetwork net, RNNFormat format) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(toFormat(inputNcw(), format)).labels(labels())
                .inputMask(prefixMask(INPUT_LENGTHS, T)).labelMask(prefixMask(TARGET_LENGTHS, S))
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    /**
     * Same weights, same function: MaskedBidirectional(LSTM)'s parameters copied into the fused layers (gate blocks
     * reordered) give the same ragged outputs, per-sample losses and parameter gradients.
     */
    @ParameterizedTest
    @EnumSource(Bidirectional.Mode.class)
    void sameFunctionAndGradientsAsMaskedBidirectional(Bidirectional.Mode mode) {
        sameFunctionAndGradients(FUSED, mode, RNNFormat.NCW);
        sameFunctionAndGradients(FUSED, mode, RNNFormat.NWC);
        sameFunctionAndGradients(FUSED_OP_SEQ_LEN, mode, RNNFormat.NCW);
    }

    private static void sameFunctionAndGradients(Wrapper way, Bidirectional.Mode mode, RNNFormat format) {
        {
            MultiLayerNetwork masked = mln(MaskedBidirectional::new, mode, format);
            MultiLayerNetwork fused = mln(way, mode, format);
            for (int layer = 0; layer < 2; layer++) {
                copyLayer(masked.paramTable(), fused, layer);
            }
            fused.getLayer(2).setParams(masked.getLayer(2).params());
            INDArray input = toFormat(inputNcw(), format);
            INDArray mask = prefixMask(INPUT_LENGTHS, T);
            INDArray labelsMask = prefixMask(TARGET_LENGTHS, S);
            assertEquals(0, relativeError(fused.output(input, false, mask, null),
                    masked.output(input, false, mask, null)), TOLERANCE, mode + " " + format);

            INDArray[] m = new MlnRunner(masked).lossesAndGradient(input, labels(), mask, labelsMask);
            INDArray[] f = new MlnRunner(fused).lossesAndGradient(input, labels(), mask, labelsMask);
            assertEquals(0, relativeError(f[0], m[0]), TOLERANCE, mode + " " + format + " losses");
            Map<String, INDArray> mg = masked.gradient().gradientForVariable();
            Map<String, INDArray> fg = fused.gradient().gradientForVariable();
            for (int layer = 0; layer < 2; layer++) {
                Map<String, INDArray> mLayer = ofLayer(mg, layer);
                for (String key : new String[]{"W", "RW", "b"}) {
                    assertEquals(0, relativeError(fg.get(layer + "_" + key), stack(mLayer, key)), TOLERANCE,
                            mode + " " + format + " layer " + layer + " " + key);
                }
            }
            assertEquals(0, relativeError(fg.get("2_W"), mg.get("2_W")), TOLERANCE, mode + " " + format + " output");
        }
    }

    /** The entries of layer {@code layer}, without the {@code "<layer>_"} prefix. */
    private static Map<String, INDArray> ofLayer(Map<String, INDArray> table, int layer) {
        Map<String, INDArray> p = new java.util.HashMap<>();
        for (Map.Entry<String, INDArray> e : table.entrySet()) {
            if (e.getKey().startsWith(layer + "_")) {
                p.put(e.getKey().substring(2), e.getValue());
            }
        }
        return p;
    }

    /** DL4J LSTM matrices of both directions ({@code f*}, {@code b*}) in the fused layout {@code [2, rows, 4n]}. */
    private static INDArray stack(Map<String, INDArray> dl4j, String key) {
        INDArray fwd = reorderGates(dl4j.get("f" + key));
        INDArray bwd = reorderGates(dl4j.get("b" + key));
        if (key.equals("b")) {
            return Nd4j.vstack(fwd, bwd);
        }
        return Nd4j.stack(0, fwd, bwd);
    }

    private static void copyLayer(Map<String, INDArray> maskedParams, MultiLayerNetwork fused, int layer) {
        Map<String, INDArray> p = ofLayer(maskedParams, layer);
        for (String key : new String[]{"W", "RW", "b"}) {
            fused.getLayer(layer).setParam(key, stack(p, key));
        }
    }

    /** {@code [rows, 4n]} with DL4J's gate blocks to the same with libnd4j's. */
    private static INDArray reorderGates(INDArray dl4jMatrix) {
        INDArray dl4j = dl4jMatrix.rank() == 1 ? dl4jMatrix.reshape(1, dl4jMatrix.length()) : dl4jMatrix;
        long n = dl4j.size(1) / 4;
        INDArray[] blocks = new INDArray[4];
        for (int k = 0; k < 4; k++) {
            int src = DL4J_BLOCK_OF_FUSED_BLOCK[k];
            blocks[k] = dl4j.get(all(), interval(src * n, (src + 1) * n));
        }
        return Nd4j.hstack(blocks);
    }
}
