package io.github.dl4jctc.layer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training, ModelSerializer, clone, transfer learning, workspaces and merged minibatches. */
class CtcOutputLayerPersistenceTest {
    private static final int N_IN = 3;
    private static final int HIDDEN = 4;
    private static final int C = 5;

    @TempDir
    File tempDir;

    @Test
    void trainingLowersTheLoss() {
        MultiLayerNetwork net = lstmCtc(DataType.FLOAT, WorkspaceMode.ENABLED, 0.05);
        DataSet data = raggedBatch(DataType.FLOAT, 7);
        double before = net.score(data);
        for (int i = 0; i < 30; i++) {
            net.fit(data);
        }
        double after = net.score(data);
        assertTrue(after < 0.7 * before, "loss " + before + " -> " + after);
        assertEquals(after, net.score(), 0.1 * after, "score() of the last fit is the loss of that minibatch");
    }

    @Test
    void workspacesOnAndOffTrainIdentically() {
        MultiLayerNetwork on = lstmCtc(DataType.DOUBLE, WorkspaceMode.ENABLED, 0.01);
        MultiLayerNetwork off = lstmCtc(DataType.DOUBLE, WorkspaceMode.NONE, 0.01);
        off.setParams(on.params().dup());
        for (int i = 0; i < 3; i++) {
            DataSet data = raggedBatch(DataType.DOUBLE, 5 + i); // T changes every minibatch
            on.fit(data);
            off.fit(data);
            assertEquals(on.score(), off.score(), 1e-12);
        }
        assertTrue(on.params().equalsWithEps(off.params(), 1e-12));
    }

    @Test
    void modelSerializerRestoresParametersAndUpdaterState() throws IOException {
        MultiLayerNetwork net = lstmCtc(DataType.FLOAT, WorkspaceMode.ENABLED, 0.01);
        DataSet data = raggedBatch(DataType.FLOAT, 6);
        for (int i = 0; i < 3; i++) {
            net.fit(data);
        }
        File file = new File(tempDir, "mln.zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(net.score(data), restored.score(data), 1e-6);
        net.fit(data);
        restored.fit(data);
        assertEquals(net.params(), restored.params(), "same Adam state, same step");
    }

    @Test
    void modelSerializerRestoresAComputationGraph() throws IOException {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(0.01)).graphBuilder()
                .addInputs("in")
                .addLayer("lstm", new LSTM.Builder().nIn(N_IN).nOut(HIDDEN).build(), "in")
                .addLayer("ctc", new CtcOutputLayer.Builder().nIn(HIDDEN).nOut(C).blankIndex(2).build(), "lstm")
                .setOutputs("ctc").build());
        net.init();
        DataSet data = raggedBatch(DataType.FLOAT, 6);
        net.fit(data);
        net.fit(data);
        File file = new File(tempDir, "cg.zip");
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(net.getConfiguration(), restored.getConfiguration());
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(net.score(data), restored.score(data), 1e-6);
    }

    @Test
    void cloneGivesAnEqualButIndependentNetwork() {
        MultiLayerNetwork net = lstmCtc(DataType.FLOAT, WorkspaceMode.ENABLED, 0.01);
        DataSet data = raggedBatch(DataType.FLOAT, 6);
        net.fit(data);
        MultiLayerNetwork copy = net.clone();

        assertEquals(net.params(), copy.params());
        assertEquals(net.output(data.getFeatures()), copy.output(data.getFeatures()));
        assertEquals(net.score(data), copy.score(data), 1e-6);
        copy.fit(data);
        assertNotEquals(net.params(), copy.params());
    }

    @Test
    void transferLearningReplacesTheClassCount() {
        MultiLayerNetwork net = lstmCtc(DataType.FLOAT, WorkspaceMode.ENABLED, 0.01);
        net.fit(raggedBatch(DataType.FLOAT, 6));
        MultiLayerNetwork wider = new TransferLearning.Builder(net)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(0.01)).build())
                .nOutReplace(1, C + 3, WeightInit.XAVIER)
                .build();

        CtcOutputLayer conf = (CtcOutputLayer) wider.getLayerWiseConfigurations().getConf(1).getLayer();
        assertEquals(C + 3, conf.getNOut());
        assertEquals(net.getLayer(0).params(), wider.getLayer(0).params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, N_IN, 6);
        assertArrayEquals(new long[]{2, C + 3, 6}, wider.output(x).shape());
        DataSet newClasses = new DataSet(x, Nd4j.createFromArray(new float[][]{{C + 2, 1}, {C, C + 1}}));
        double before = wider.score(newClasses);
        wider.fit(newClasses);
        assertTrue(Double.isFinite(before) && wider.score(newClasses) < before);
    }

    @Test
    void transferLearningCannotDropTheBlankClass() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nIn(N_IN).nOut(HIDDEN).build())
                .layer(new CtcOutputLayer.Builder().nIn(HIDDEN).nOut(C).blankIndex(C - 1).build())
                .build());
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TransferLearning.Builder(net).nOutReplace(1, C - 1, WeightInit.XAVIER).build());
        assertTrue(e.getMessage().contains("blankIndex"), e.getMessage());
    }

    @Test
    void mergedTimeSeriesLabelsAreScoredLikeTheSeparateExamples() {
        MultiLayerNetwork net = lstmCtc(DataType.DOUBLE, WorkspaceMode.ENABLED, 0.01);
        Nd4j.getRandom().setSeed(5);
        DataSet first = new DataSet(Nd4j.rand(DataType.DOUBLE, 1, N_IN, 4),
                Nd4j.createFromArray(new double[]{1, 2}).reshape(1, 1, 2));
        DataSet second = new DataSet(Nd4j.rand(DataType.DOUBLE, 1, N_IN, 7),
                Nd4j.createFromArray(new double[]{3, 3, 4}).reshape(1, 1, 3));
        DataSet merged = DataSet.merge(List.of(first, second));
        assertArrayEquals(new long[]{2, 1, 3}, merged.getLabels().shape());
        assertArrayEquals(new long[]{2, 3}, merged.getLabelsMaskArray().shape());

        double expectedMean = (net.score(first) + net.score(second)) / 2;
        assertEquals(expectedMean, net.score(merged), 1e-10);
        net.fit(merged);
        assertTrue(Double.isFinite(net.score()));
    }

    private static MultiLayerNetwork lstmCtc(DataType type, WorkspaceMode workspaceMode, double learningRate) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11).dataType(type)
                .updater(new Adam(learningRate))
                .trainingWorkspaceMode(workspaceMode).inferenceWorkspaceMode(workspaceMode)
                .list()
                .layer(new LSTM.Builder().nIn(N_IN).nOut(HIDDEN).build())
                .layer(new CtcOutputLayer.Builder().nIn(HIDDEN).nOut(C).build())
                .build());
        net.init();
        return net;
    }

    /**
     * Three examples of {@code t}, {@code t - 2} and {@code t - 1} frames with targets of 3, 1 and 2 labels; the
     * labels avoid classes 0 and 2 (the blanks used here), the padding past each target is 0.
     */
    private static DataSet raggedBatch(DataType type, int t) {
        Nd4j.getRandom().setSeed(t);
        INDArray x = Nd4j.rand(type, 3, N_IN, t);
        float[][] labels = {{1, 3, 4}, {4, 0, 0}, {3, 1, 0}};
        INDArray featuresMask = GoldenCtcCase.prefixMask(new int[]{t, t - 2, t - 1}, t, type);
        INDArray labelsMask = GoldenCtcCase.prefixMask(new int[]{3, 1, 2}, 3, type);
        return new DataSet(x, Nd4j.createFromArray(labels).castTo(type), featuresMask, labelsMask);
    }
}
