package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builder defaults and checks, input/output types, JSON round trips, summary and memory report. */
class CtcOutputLayerConfigTest {

    @Test
    void builderDefaultsArePyTorchsAndNcw() {
        CtcOutputLayer layer = new CtcOutputLayer.Builder().nIn(4).nOut(6).build();
        assertEquals(0, layer.getBlankIndex());
        assertEquals(CtcReduction.MEAN, layer.getReduction());
        assertFalse(layer.isZeroInfinity());
        assertEquals(RNNFormat.NCW, layer.getRnnDataFormat());
        assertInstanceOf(ActivationSoftmax.class, layer.getActivationFn());
    }

    @Test
    void builderRefusesNoneReductionWithAMessageSayingWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CtcOutputLayer.Builder().reduction(CtcReduction.NONE));
        assertTrue(e.getMessage().contains("reduction") && e.getMessage().contains("NONE")
                && e.getMessage().contains("scoreExamples"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CtcOutputLayer.Builder().reduction(null));
    }

    @Test
    void builderRefusesBadBlankClassCountActivationAndFormat() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new CtcOutputLayer.Builder().blankIndex(-1));
        assertTrue(negative.getMessage().contains("blankIndex") && negative.getMessage().contains("-1"));

        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> new CtcOutputLayer.Builder().nIn(3).nOut(5).blankIndex(5).build());
        assertTrue(tooLarge.getMessage().contains("blankIndex") && tooLarge.getMessage().contains("5"),
                tooLarge.getMessage());

        IllegalArgumentException oneClass = assertThrows(IllegalArgumentException.class,
                () -> new CtcOutputLayer.Builder().nIn(3).nOut(1).build());
        assertTrue(oneClass.getMessage().contains("nOut"), oneClass.getMessage());

        IllegalArgumentException tanh = assertThrows(IllegalArgumentException.class,
                () -> new CtcOutputLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build());
        assertTrue(tanh.getMessage().contains("softmax"), tanh.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new CtcOutputLayer.Builder().dataFormat(null));
    }

    @Test
    void networkWideActivationDoesNotReplaceSoftmax() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().activation(Activation.TANH).list()
                .layer(new LSTM.Builder().nIn(3).nOut(4).build())
                .layer(new CtcOutputLayer.Builder().nIn(4).nOut(5).build())
                .build();
        assertInstanceOf(ActivationSoftmax.class, ((CtcOutputLayer) conf.getConf(1).getLayer()).getActivationFn());
    }

    @Test
    void inputTypeSetsNInAndFormatAndGivesRecurrentOutput() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nOut(7).dataFormat(RNNFormat.NWC).build())
                .layer(new CtcOutputLayer.Builder().nOut(5).build())
                .setInputType(InputType.recurrent(3, 11, RNNFormat.NWC))
                .build();
        CtcOutputLayer layer = (CtcOutputLayer) conf.getConf(1).getLayer();
        assertEquals(7, layer.getNIn());
        assertEquals(RNNFormat.NWC, layer.getRnnDataFormat());

        InputType out = layer.getOutputType(1, InputType.recurrent(7, 11, RNNFormat.NWC));
        assertEquals(InputType.recurrent(5, 11, RNNFormat.NWC), out);
        assertThrows(IllegalStateException.class, () -> layer.getOutputType(1, InputType.feedForward(7)));
    }

    @Test
    void explicitFormatIsKeptWhenTheInputTypeIsSetWithoutOverride() {
        CtcOutputLayer layer = new CtcOutputLayer.Builder().nOut(5).dataFormat(RNNFormat.NWC).build();
        layer.setNIn(InputType.recurrent(7, 11, RNNFormat.NCW), false);
        assertEquals(RNNFormat.NWC, layer.getRnnDataFormat());
        assertEquals(7, layer.getNIn());
    }

    @Test
    void unsetFormatStaysUnsetThroughJsonAndIsStillAdoptedFromTheInputType() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new CtcOutputLayer.Builder().nIn(4).nOut(5).build())
                .build();
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());
        CtcOutputLayer layer = (CtcOutputLayer) restored.getConf(0).getLayer();
        assertEquals(conf, restored);
        layer.setNIn(InputType.recurrent(4, 11, RNNFormat.NWC), false);
        assertEquals(RNNFormat.NWC, layer.getRnnDataFormat());
    }

    @Test
    void jsonWithTheFormatUnderTheKeyDataFormatLoads() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new CtcOutputLayer.Builder().nIn(4).nOut(5).dataFormat(RNNFormat.NWC).build())
                .build();
        String json = conf.toJson();
        assertTrue(json.contains("\"rnnDataFormat\" : \"NWC\""), json);
        String keyedDataFormat = json.replace("\"rnnDataFormat\"", "\"dataFormat\"");
        CtcOutputLayer layer = (CtcOutputLayer) MultiLayerConfiguration.fromJson(keyedDataFormat).getConf(0).getLayer();
        assertEquals(RNNFormat.NWC, layer.getRnnDataFormat());
        assertEquals(conf.getConf(0).getLayer(), layer);
    }

    @Test
    void multiLayerJsonRoundTripIsEqual() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01))
                .dataType(DataType.DOUBLE).list()
                .layer(new LSTM.Builder().nIn(3).nOut(4).dataFormat(RNNFormat.NWC).build())
                .layer(new CtcOutputLayer.Builder().nIn(4).nOut(6).blankIndex(5).reduction(CtcReduction.SUM)
                        .zeroInfinity(true).dataFormat(RNNFormat.NWC).l2(1e-3).name("ctc").build())
                .build();
        String json = conf.toJson();
        assertTrue(json.contains("\"blankIndex\" : 5"), json);
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, restored);

        CtcOutputLayer layer = (CtcOutputLayer) restored.getConf(1).getLayer();
        assertEquals(5, layer.getBlankIndex());
        assertEquals(CtcReduction.SUM, layer.getReduction());
        assertTrue(layer.isZeroInfinity());
        assertEquals(RNNFormat.NWC, layer.getRnnDataFormat());
        assertEquals(conf.getConf(1).getLayer(), layer);
        assertNotEquals(new CtcOutputLayer.Builder().nIn(4).nOut(6).blankIndex(4).reduction(CtcReduction.SUM)
                .zeroInfinity(true).dataFormat(RNNFormat.NWC).l2(1e-3).name("ctc").build(), layer);
    }

    @Test
    void graphJsonRoundTripIsEqual() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).graphBuilder()
                .addInputs("in")
                .addLayer("lstm", new LSTM.Builder().nIn(3).nOut(4).build(), "in")
                .addLayer("ctc", new CtcOutputLayer.Builder().nIn(4).nOut(6).blankIndex(2).build(), "lstm")
                .setOutputs("ctc")
                .build();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        assertEquals(conf.toJson(), restored.toJson());
    }

    @Test
    void configCloneIsEqualAndIndependent() {
        CtcOutputLayer layer = new CtcOutputLayer.Builder().nIn(4).nOut(6).blankIndex(3).build();
        CtcOutputLayer copy = (CtcOutputLayer) layer.clone();
        assertEquals(layer, copy);
        copy.setNOut(8);
        assertEquals(6, layer.getNOut());
    }

    @Test
    void summaryListsTheLayerAndItsParameters() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nIn(3).nOut(4).build())
                .layer(new CtcOutputLayer.Builder().nIn(4).nOut(6).build())
                .build());
        net.init();
        String summary = net.summary();
        assertTrue(summary.contains("CtcOutputLayer"), summary);
        assertEquals(4 * 6 + 6, net.getLayer(1).numParams());
        assertTrue(summary.contains("30"), summary);

        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("ctc", new CtcOutputLayer.Builder().nIn(4).nOut(6).build(), "in")
                .setOutputs("ctc").build());
        graph.init();
        assertTrue(graph.summary().contains("CtcOutputLayer"));
    }

    @Test
    void memoryReportCountsTheDenseParameters() {
        CtcOutputLayer layer = new CtcOutputLayer.Builder().nIn(4).nOut(6).updater(new Adam()).build();
        LayerMemoryReport report = layer.getMemoryReport(InputType.recurrent(4, 10));
        assertEquals(CtcOutputLayer.class, report.getLayerType());
        assertEquals(InputType.recurrent(6, 10), report.getOutputType());
        assertEquals(30L * 4, report.getMemoryBytes(MemoryType.PARAMETERS, 1, MemoryUseMode.TRAINING,
                CacheMode.NONE, DataType.FLOAT));
        assertEquals(2 * 30L * 4, report.getMemoryBytes(MemoryType.UPDATER_STATE, 1, MemoryUseMode.TRAINING,
                CacheMode.NONE, DataType.FLOAT), "Adam keeps two values per parameter");
    }
}
