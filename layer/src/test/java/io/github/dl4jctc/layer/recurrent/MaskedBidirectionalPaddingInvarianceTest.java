package io.github.dl4jctc.layer.recurrent;

import io.github.dl4jctc.layer.DoublePrecision;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import static io.github.dl4jctc.layer.recurrent.BidirectionalNets.*;
import static org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional.Mode.CONCAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * Padding invariance in float64: with lengths 6, 3, 1, 5 of T = 6 (random values at padded steps), each sample's loss
 * and parameter gradient in the ragged minibatch equal those of the same sample run alone, unpadded. Two stacked
 * wrappers, so the lower one's gradients also check the input gradient of the upper one.
 */
@ExtendWith(DoublePrecision.class)
class MaskedBidirectionalPaddingInvarianceTest {
    private static final double TOLERANCE = 1e-12;

    @ParameterizedTest
    @EnumSource(Bidirectional.Mode.class)
    void multiLayerNetworkNcw(Bidirectional.Mode mode) {
        double error = worstError(new MlnRunner(mln(MaskedBidirectional::new, mode, RNNFormat.NCW)), RNNFormat.NCW);
        assertTrue(error <= TOLERANCE, "relative error " + error);
    }

    @ParameterizedTest
    @EnumSource(Bidirectional.Mode.class)
    void multiLayerNetworkNwc(Bidirectional.Mode mode) {
        double error = worstError(new MlnRunner(mln(MaskedBidirectional::new, mode, RNNFormat.NWC)), RNNFormat.NWC);
        assertTrue(error <= TOLERANCE, "relative error " + error);
    }

    @Test
    void computationGraph() {
        double ncw = worstError(new GraphRunner(graph(MaskedBidirectional::new, CONCAT, RNNFormat.NCW)),
                RNNFormat.NCW);
        double nwc = worstError(new GraphRunner(graph(MaskedBidirectional::new, Bidirectional.Mode.MUL,
                RNNFormat.NWC)), RNNFormat.NWC);
        assertTrue(ncw <= TOLERANCE, "NCW: " + ncw);
        assertTrue(nwc <= TOLERANCE, "NWC: " + nwc);
    }

    /** The same test on DL4J's Bidirectional: its backward direction reads the padding first. */
    @Test
    void dl4jBidirectionalIsNotPaddingInvariant() {
        double error = worstError(new MlnRunner(mln(Bidirectional::new, CONCAT, RNNFormat.NCW)), RNNFormat.NCW);
        assertTrue(error > 1e-2, "DL4J Bidirectional relative error " + error);
    }

    /** Runs a network on (input, labels, masks) and returns per-example losses and the flat parameter gradient. */
    interface Runner {
        INDArray[] lossesAndGradient(INDArray input, INDArray labels, INDArray featuresMask, INDArray labelsMask);
    }

    /** Largest relative error over: per-sample losses, the minibatch gradient vs the sum of lone gradients, and each
     * sample padded to T alone vs the same sample unpadded. */
    static double worstError(Runner runner, RNNFormat format) {
        INDArray inputNcw = inputNcw();
        INDArray labels = labels();
        INDArray labelsMask = prefixMask(TARGET_LENGTHS, S);
        INDArray[] batch = runner.lossesAndGradient(toFormat(inputNcw, format), labels,
                prefixMask(INPUT_LENGTHS, T), labelsMask);
        double worst = 0;
        INDArray gradientSum = null;
        for (int i = 0; i < N; i++) {
            int length = INPUT_LENGTHS[i];
            INDArray aloneNcw = inputNcw.get(interval(i, i + 1), all(), interval(0, length)).dup();
            INDArray sampleLabels = labels.get(interval(i, i + 1), all()).dup();
            INDArray sampleLabelsMask = labelsMask.get(interval(i, i + 1), all()).dup();
            INDArray[] alone = runner.lossesAndGradient(toFormat(aloneNcw, format), sampleLabels, null,
                    sampleLabelsMask);
            INDArray paddedNcw = inputNcw.get(interval(i, i + 1), all(), all()).dup();
            INDArray[] padded = runner.lossesAndGradient(toFormat(paddedNcw, format), sampleLabels,
                    prefixMask(new int[]{length}, T), sampleLabelsMask);
            worst = Math.max(worst, Math.abs(batch[0].getDouble(i) - alone[0].getDouble(0))
                    / Math.abs(alone[0].getDouble(0)));
            worst = Math.max(worst, relativeError(padded[1], alone[1]));
            gradientSum = gradientSum == null ? alone[1] : gradientSum.add(alone[1]);
        }
        assertEquals(N, batch[0].length());
        // With reduction SUM the score is the minibatch sum and gradient() holds N times its gradient (DL4J divides
        // by N before the update); a lone sample has N = 1.
        return Math.max(worst, relativeError(batch[1].div(N), gradientSum));
    }

    static final class MlnRunner implements Runner {
        private final MultiLayerNetwork net;

        MlnRunner(MultiLayerNetwork net) {
            this.net = net;
        }

        @Override
        public INDArray[] lossesAndGradient(INDArray input, INDArray labels, INDArray featuresMask,
                                            INDArray labelsMask) {
            net.clearLayerMaskArrays();
            INDArray losses = net.scoreExamples(new org.nd4j.linalg.dataset.DataSet(input, labels, featuresMask,
                    labelsMask), false);
            net.clearLayerMaskArrays();
            net.setInput(input);
            net.setLabels(labels);
            net.setLayerMaskArrays(featuresMask, labelsMask);
            net.computeGradientAndScore();
            INDArray gradient = net.gradient().gradient().dup();
            net.clearLayerMaskArrays();
            return new INDArray[]{losses.reshape(losses.length()), gradient};
        }
    }

    static final class GraphRunner implements Runner {
        private final ComputationGraph net;

        GraphRunner(ComputationGraph net) {
            this.net = net;
        }

        @Override
        public INDArray[] lossesAndGradient(INDArray input, INDArray labels, INDArray featuresMask,
                                            INDArray labelsMask) {
            INDArray[] fm = featuresMask == null ? null : new INDArray[]{featuresMask};
            INDArray[] lm = labelsMask == null ? null : new INDArray[]{labelsMask};
            net.clearLayerMaskArrays();
            INDArray losses = net.scoreExamples(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{input},
                    new INDArray[]{labels}, fm, lm), false);
            net.clearLayerMaskArrays();
            net.setInputs(input);
            net.setLabels(labels);
            net.setLayerMaskArrays(fm, lm);
            net.computeGradientAndScore();
            INDArray gradient = net.gradient().gradient().dup();
            net.clearLayerMaskArrays();
            return new INDArray[]{losses.reshape(losses.length()), gradient};
        }
    }
}
