package io.github.dl4jctc.layer.check;

import io.github.dl4jctc.layer.CtcLossLayer;
import io.github.dl4jctc.layer.CtcOutputLayer;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.datasets.iterator.IteratorMultiDataSetIterator;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CtcDataCheck} on a network whose 1-D convolution (kernel 2, stride 2) halves the time axis: an input of
 * length L has ceil(L / 2) frames at the CTC layer, T = 10 input frames give 5.
 */
class CtcDataCheckTest {
    private static final int T = 10;
    private static final int C = 5;   // blank 0, labels 1..4

    @Test
    void unalignableExamplesAreFoundWithTheFramesLeftByTheStridedConvolution() {
        // Minibatch 0: lengths 10, 7 -> 5, 4 frames. Minibatch 1: lengths 4, 10 -> 2, 5 frames.
        DataSet first = data(new int[]{10, 7}, new double[][]{{1, 2, 3, 4, 1}, {1, 1, 2, 0, 0}}, new int[]{5, 3});
        DataSet second = data(new int[]{4, 10}, new double[][]{{1, 2, 3, 0, 0}, {1, 1, 1, 0, 0}}, new int[]{3, 3});
        CtcDataReport report = CtcDataCheck.check(mln(), iterator(first, second));

        assertEquals(4, report.examples());
        // Example 1: [1, 1, 2] needs 4 frames, has 4 (7 input frames: it fits only because of the mask rounding up).
        // Example 2: 3 labels, 2 frames. Example 3: [1, 1, 1] needs 5, has 5.
        assertEquals(List.of("example 2: 2 frames < 3 required"), strings(report.unalignable()));
        assertFalse(report.ok());
        assertEquals(-1, report.minimumSlack());
        assertEquals(2, report.minimumSlackExample());
    }

    @Test
    void labelsOutOfRangeEqualToTheBlankOrNotIntegersAreListedAndPaddingIsIgnored() {
        DataSet first = data(new int[]{10, 10}, new double[][]{{1, 5, 2, 9, 9}, {0, 2, 1.5, 7, -1}},
                new int[]{3, 3});
        DataSet second = data(new int[]{10}, new double[][]{{-1, 4, 0, 0, 0}}, new int[]{2});
        CtcDataReport report = CtcDataCheck.check(mln(), iterator(first, second));

        assertEquals(List.of("example 0 position 1: 5.0", "example 1 position 0: 0.0", "example 1 position 2: 1.5",
                "example 2 position 0: -1.0"), strings(report.badLabels()));
        assertTrue(report.unalignable().isEmpty());
        assertFalse(report.ok());
        assertEquals(Long.MAX_VALUE, report.minimumSlack(), "no example had valid labels");
    }

    @Test
    void emptyTargetsAreListed() {
        DataSet first = data(new int[]{10, 10}, new double[][]{{1, 2, 0, 0, 0}, {0, 0, 0, 0, 0}}, new int[]{2, 0});
        DataSet second = data(new int[]{6}, new double[][]{{3, 0, 0, 0, 0}}, new int[]{0});
        CtcDataReport report = CtcDataCheck.check(mln(), iterator(first, second));
        assertEquals(List.of(1L, 2L), report.emptyTargets());
        assertTrue(report.ok(), "an empty target is valid for CTC");
        assertEquals(3, report.minimumSlack(), "example 0: 5 frames, 2 required");
    }

    @Test
    void minimumSlackAndHistogramOfFramesPerLabel() {
        // Frames 5, 5, 3, 5 for targets of 1, 2, 3, 4 labels: ratios 5, 2.5, 1, 1.25; slacks 4, 3, 0, 1.
        DataSet first = data(new int[]{10, 9}, new double[][]{{1, 0, 0, 0}, {2, 3, 0, 0}}, new int[]{1, 2});
        DataSet second = data(new int[]{6, 10}, new double[][]{{1, 2, 3, 0}, {4, 3, 2, 1}}, new int[]{3, 4});
        CtcDataReport report = CtcDataCheck.check(mln(), iterator(first, second));

        assertEquals(0, report.minimumSlack());
        assertEquals(2, report.minimumSlackExample());
        // Bins [0,1) [1,1.5) [1.5,2) [2,3) [3,4) [4,6) [6,8) [8,16) [16,inf)
        assertArrayEquals(new long[]{0, 2, 0, 1, 0, 1, 0, 0, 0}, report.framesPerLabelHistogram());
        assertEquals("{[1,1.5):2, [2,3):1, [4,6):1}", report.histogramText());
        assertTrue(report.summary().startsWith("CTC data check: 4 examples, 0 unalignable, 0 bad labels,"
                + " 0 empty targets, minimum slack 0 frames (example 2)"), report.summary());
    }

    @Test
    void withoutFeaturesMaskEveryExampleHasTheOutputsFrames() {
        DataSet unmasked = new DataSet(Nd4j.rand(DataType.FLOAT, 2, 2, T),
                Nd4j.createFromArray(new double[][]{{1, 2, 3, 4, 1, 2}, {1, 2, 3, 4, 1, 0}}).castTo(DataType.FLOAT),
                null, mask(new int[]{6, 5}, 6));
        CtcDataReport report = CtcDataCheck.check(mln(), iterator(unmasked));
        assertEquals(List.of("example 0: 5 frames < 6 required"), strings(report.unalignable()));
        assertEquals(0, report.minimumSlack() + 1, "example 0: slack -1");
    }

    @Test
    void computationGraphWithCtcLossLayerAndMultiDataSets() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("in")
                .addLayer("conv", conv(C), "in")
                .addLayer("ctc", new CtcLossLayer.Builder().blankIndex(4).build(), "conv")
                .setOutputs("ctc")
                .setInputTypes(InputType.recurrent(2, T))
                .build());
        net.init();
        DataSet ds = data(new int[]{10, 3}, new double[][]{{0, 1, 2, 3}, {3, 4, 0, 0}}, new int[]{4, 2});
        MultiDataSet mds = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{ds.getFeatures()},
                new INDArray[]{ds.getLabels()}, new INDArray[]{ds.getFeaturesMaskArray()},
                new INDArray[]{ds.getLabelsMaskArray()});
        CtcDataReport report = CtcDataCheck.check(net, new IteratorMultiDataSetIterator(List.of(mds).iterator(), 2));
        assertEquals(C, report.numClasses());
        assertEquals(4, report.blankIndex());
        assertEquals(List.of("example 1 position 1: 4.0"), strings(report.badLabels()));
        assertEquals(1, report.minimumSlack(), "example 0: 5 frames, 4 required");
    }

    @Test
    void aNetworkWithoutCtcOutputIsRefused() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(C)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CtcDataCheck.check(net, iterator(data(new int[]{10}, new double[][]{{1}}, new int[]{1}))));
        assertTrue(e.getMessage().startsWith("net (its output layer): got RnnOutputLayer, expected"), e.getMessage());
    }

    private static MultiLayerNetwork mln() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(conv(4))
                .layer(new CtcOutputLayer.Builder().nOut(C).build())
                .setInputType(InputType.recurrent(2, T))
                .build());
        net.init();
        return net;
    }

    private static Convolution1DLayer conv(int nOut) {
        return new Convolution1DLayer.Builder().kernelSize(2).stride(2).convolutionMode(ConvolutionMode.Truncate)
                .nOut(nOut).activation(Activation.IDENTITY).rnnDataFormat(RNNFormat.NCW).build();
    }

    private static DataSet data(int[] inputLengths, double[][] labels, int[] targetLengths) {
        int n = inputLengths.length;
        return new DataSet(Nd4j.rand(DataType.FLOAT, n, 2, T), Nd4j.createFromArray(labels).castTo(DataType.FLOAT),
                mask(inputLengths, T), mask(targetLengths, labels[0].length));
    }

    private static INDArray mask(int[] lengths, int width) {
        INDArray mask = Nd4j.zeros(DataType.FLOAT, lengths.length, width);
        for (int i = 0; i < lengths.length; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                mask.putScalar(i, j, 1.0);
            }
        }
        return mask;
    }

    private static IteratorDataSetIterator iterator(DataSet... minibatches) {
        return new IteratorDataSetIterator(List.of(minibatches).iterator(), minibatches[0].numExamples());
    }

    private static List<String> strings(List<?> items) {
        return items.stream().map(Object::toString).collect(Collectors.toList());
    }
}
