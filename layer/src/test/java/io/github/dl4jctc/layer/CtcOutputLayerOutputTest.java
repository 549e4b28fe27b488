package io.github.dl4jctc.layer;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** output()/activate(): per-frame softmax of xW + b in the layer's data format, masked frames, mask bookkeeping. */
class CtcOutputLayerOutputTest {
    private static final int N_IN = 3;
    private static final int N_OUT = 5;

    @ParameterizedTest
    @EnumSource(WorkspaceMode.class)
    void ncwOutputIsSoftmaxOfTheDenseProjectionPerFrame(WorkspaceMode workspaceMode) {
        MultiLayerNetwork net = ctcOnly(RNNFormat.NCW, DataType.DOUBLE, workspaceMode);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, N_IN, 4).subi(0.5).muli(4);

        INDArray out = net.output(x);

        assertArrayEquals(new long[]{2, N_OUT, 4}, out.shape());
        INDArray w = net.getLayer(0).getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = net.getLayer(0).getParam(DefaultParamInitializer.BIAS_KEY);
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 4; t++) {
                double[] expected = softmax(frame(x, n, t).reshape(1, N_IN).mmul(w).add(b).toDoubleVector());
                double[] actual = frame(out, n, t).toDoubleVector();
                assertArrayEquals(expected, actual, 1e-12, "example " + n + ", frame " + t);
            }
        }
    }

    @Test
    void nwcOutputIsTheNcwOutputTransposed() {
        MultiLayerNetwork ncw = ctcOnly(RNNFormat.NCW, DataType.DOUBLE, WorkspaceMode.ENABLED);
        MultiLayerNetwork nwc = ctcOnly(RNNFormat.NWC, DataType.DOUBLE, WorkspaceMode.ENABLED);
        nwc.setParams(ncw.params());
        INDArray xNcw = Nd4j.rand(DataType.DOUBLE, 3, N_IN, 6);

        INDArray outNcw = ncw.output(xNcw);
        INDArray outNwc = nwc.output(xNcw.permute(0, 2, 1).dup());

        assertArrayEquals(new long[]{3, 6, N_OUT}, outNwc.shape());
        assertEquals(outNcw.permute(0, 2, 1), outNwc);
    }

    @Test
    void framesPastTheInputLengthAreZeroAndTheOthersSumToOne() {
        MultiLayerNetwork net = ctcOnly(RNNFormat.NCW, DataType.FLOAT, WorkspaceMode.ENABLED);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, N_IN, 5);
        INDArray mask = GoldenCtcCase.prefixMask(new int[]{5, 3}, 5, DataType.FLOAT);

        INDArray out = net.output(x, false, mask, null);

        INDArray perFrameSums = out.sum(1); // [N, T]
        double[][] expected = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}};
        for (int n = 0; n < 2; n++) {
            assertArrayEquals(expected[n], perFrameSums.getRow(n).toDoubleVector(), 1e-5);
        }
        assertEquals(DataType.FLOAT, out.dataType());
    }

    @Test
    void featuresMaskReachesTheLayerThroughAnLstm() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).list()
                .layer(new LSTM.Builder().nIn(N_IN).nOut(4).build())
                .layer(new CtcOutputLayer.Builder().nIn(4).nOut(N_OUT).build())
                .build());
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, N_IN, 6);
        INDArray mask = GoldenCtcCase.prefixMask(new int[]{2, 6}, 6, DataType.FLOAT);

        INDArray masked = net.output(x, false, mask, null);
        net.clearLayerMaskArrays();
        INDArray unmasked = net.output(x);

        assertEquals(0.0, masked.get(point(0), all(), interval(2, 6)).sumNumber().doubleValue(), 0.0);
        assertEquals(unmasked.get(point(1), all(), all()), masked.get(point(1), all(), all()));
        assertEquals(unmasked.get(point(0), all(), interval(0, 2)), masked.get(point(0), all(), interval(0, 2)));
    }

    @Test
    void featuresMaskOfTheWrongShapeIsRefused() {
        MultiLayerNetwork net = ctcOnly(RNNFormat.NCW, DataType.FLOAT, WorkspaceMode.ENABLED);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, N_IN, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.output(x, false, Nd4j.ones(DataType.FLOAT, 2, 4), null));
        assertTrue(e.getMessage().contains("features mask") && e.getMessage().contains("[2, 4]")
                && e.getMessage().contains("[2, 5]"), e.getMessage());
    }

    @Test
    void inputWithTheWrongSizeIsRefused() {
        MultiLayerNetwork net = ctcOnly(RNNFormat.NCW, DataType.FLOAT, WorkspaceMode.ENABLED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.output(Nd4j.rand(DataType.FLOAT, 2, N_IN + 1, 5)));
        assertTrue(e.getMessage().contains("input") && e.getMessage().contains("nIn = " + N_IN), e.getMessage());
    }

    @Test
    void releasedFeaturesMaskSurvivesUntilTheNextInput() {
        CtcOutputLayerImpl layer = (CtcOutputLayerImpl) ctcOnly(RNNFormat.NCW, DataType.FLOAT,
                WorkspaceMode.ENABLED).getLayer(0);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray featuresMask = Nd4j.ones(DataType.FLOAT, 2, 5);
        INDArray labelsMask = Nd4j.ones(DataType.FLOAT, 2, 3);

        layer.feedForwardMaskArray(featuresMask, MaskState.Passthrough, 2);
        layer.setMaskArray(labelsMask);
        layer.setInput(Nd4j.rand(DataType.FLOAT, 2, N_IN, 5), mgr);
        assertSame(featuresMask, layer.getFeaturesMask());
        assertSame(labelsMask, layer.getMaskArray());

        // ComputationGraph clears the labels mask between backprop and score of one minibatch.
        layer.setMaskArray(null);
        assertNull(layer.getMaskArray());
        assertSame(featuresMask, layer.getFeaturesMask());

        // The next minibatch comes without features mask: DL4J only sets the new input.
        layer.setInput(Nd4j.rand(DataType.FLOAT, 2, N_IN, 7), mgr);
        assertNull(layer.getFeaturesMask());

        // A mask fed forward after a clear is the new minibatch's mask and stays.
        layer.setMaskArray(null);
        layer.feedForwardMaskArray(featuresMask, MaskState.Active, 2);
        layer.setInput(Nd4j.rand(DataType.FLOAT, 2, N_IN, 5), mgr);
        assertNotNull(layer.getFeaturesMask());
        layer.feedForwardMaskArray(null, null, 2);
        assertNull(layer.getFeaturesMask());
    }

    @Test
    void layerCloneHasEqualButIndependentParameters() {
        MultiLayerNetwork net = ctcOnly(RNNFormat.NCW, DataType.FLOAT, WorkspaceMode.ENABLED);
        CtcOutputLayerImpl layer = (CtcOutputLayerImpl) net.getLayer(0);
        CtcOutputLayerImpl copy = (CtcOutputLayerImpl) layer.clone();
        assertEquals(layer.getParam("W"), copy.getParam("W"));
        copy.getParam("W").addi(1.0);
        assertTrue(!layer.getParam("W").equals(copy.getParam("W")));
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, N_IN, 3);
        assertArrayEquals(new long[]{1, N_OUT, 3},
                copy.activate(x, false, LayerWorkspaceMgr.noWorkspaces()).shape());
    }

    private static MultiLayerNetwork ctcOnly(RNNFormat format, DataType type, WorkspaceMode workspaceMode) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(type)
                .trainingWorkspaceMode(workspaceMode).inferenceWorkspaceMode(workspaceMode)
                .list()
                .layer(new CtcOutputLayer.Builder().nIn(N_IN).nOut(N_OUT).dataFormat(format).biasInit(0.3).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Column {@code [:, t]} of example n of an NCW array. */
    private static INDArray frame(INDArray ncw, int n, int t) {
        return ncw.get(point(n), all(), point(t));
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = Math.exp(z[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < z.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
