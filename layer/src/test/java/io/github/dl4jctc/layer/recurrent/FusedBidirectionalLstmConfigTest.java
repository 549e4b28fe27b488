package io.github.dl4jctc.layer.recurrent;

import io.github.dl4jctc.layer.DoublePrecision;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.io.IOException;

import static io.github.dl4jctc.layer.recurrent.BidirectionalNets.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** InputType, parameters, JSON and ModelSerializer round trips of {@link FusedBidirectionalLstm}. */
@ExtendWith(DoublePrecision.class)
class FusedBidirectionalLstmConfigTest {
    @TempDir
    File dir;

    @Test
    void inputTypeGivesOutputSizesPerModeAndKeepsTheFormat() {
        FusedBidirectionalLstm concat = new FusedBidirectionalLstm.Builder().nIn(3).nOut(4).build();
        assertEquals(InputType.recurrent(8, 6, RNNFormat.NCW),
                concat.getOutputType(0, InputType.recurrent(3, 6, RNNFormat.NCW)));
        FusedBidirectionalLstm add = new FusedBidirectionalLstm.Builder().nIn(3).nOut(4).mode(Bidirectional.Mode.ADD)
                .dataFormat(RNNFormat.NWC).build();
        assertEquals(InputType.recurrent(4, 6, RNNFormat.NWC),
                add.getOutputType(0, InputType.recurrent(3, 6, RNNFormat.NWC)));
    }

    @Test
    void nInAndParameterShapesComeFromTheInputType() {
        MultiLayerNetwork net = mln(FUSED, Bidirectional.Mode.CONCAT, RNNFormat.NCW);
        assertEquals(N_IN, ((FusedBidirectionalLstm) net.getLayerWiseConfigurations().getConf(0).getLayer()).getNIn());
        assertEquals(8, ((FusedBidirectionalLstm) net.getLayerWiseConfigurations().getConf(1).getLayer()).getNIn());
        assertEquals(java.util.List.of(2L, (long) N_IN, 16L), java.util.Arrays.stream(
                net.getParam("0_W").shape()).boxed().toList());
        assertEquals(java.util.List.of(2L, 4L, 16L), java.util.Arrays.stream(
                net.getParam("0_RW").shape()).boxed().toList());
        // Forget gate biases (second block of each direction) start at 1, the others at 0, as DL4J's LSTM.
        INDArray b = net.getParam("0_b");
        assertEquals(2 * 4.0, b.sumNumber().doubleValue(), 0.0);
        assertEquals(1.0, b.getDouble(1, 5), 0.0);
        assertEquals(0.0, b.getDouble(1, 0), 0.0);
    }

    @Test
    void jsonRoundTripKeepsEveryField() {
        MultiLayerConfiguration conf = base().list()
                .layer(new FusedBidirectionalLstm.Builder().nOut(4).mode(Bidirectional.Mode.MUL)
                        .dataFormat(RNNFormat.NWC).activation(Activation.SOFTSIGN).forgetGateBiasInit(2.0)
                        .opSequenceLengths(true).build())
                .layer(ctc(RNNFormat.NWC))
                .setInputType(InputType.recurrent(N_IN, RNNFormat.NWC))
                .build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        FusedBidirectionalLstm layer = assertInstanceOf(FusedBidirectionalLstm.class, back.getConf(0).getLayer());
        assertEquals(Bidirectional.Mode.MUL, layer.getMode());
        assertEquals(RNNFormat.NWC, layer.getDataFormat());
        assertEquals(Activation.SOFTSIGN, layer.getActivation());
        assertEquals(2.0, layer.getForgetGateBiasInit(), 0.0);
        assertTrue(layer.isOpSequenceLengths());
        assertEquals(N_IN, layer.getNIn());

        ComputationGraphConfiguration graphConf = graph(FUSED, Bidirectional.Mode.CONCAT, RNNFormat.NCW)
                .getConfiguration();
        assertEquals(graphConf, ComputationGraphConfiguration.fromJson(graphConf.toJson()));
    }

    @Test
    void theTwoWaysOfRunningRaggedMinibatchesAreDifferentConfigurations() {
        FusedBidirectionalLstm a = new FusedBidirectionalLstm.Builder().nIn(3).nOut(4).build();
        FusedBidirectionalLstm b = new FusedBidirectionalLstm.Builder().nIn(3).nOut(4).opSequenceLengths(true).build();
        assertNotEquals(a, b);
        assertEquals(a, new FusedBidirectionalLstm.Builder().nIn(3).nOut(4).build());
    }

    @Test
    void modelSerializerRoundTripGivesTheSameMaskedOutput() throws IOException {
        MultiLayerNetwork net = mln(FUSED, Bidirectional.Mode.CONCAT, RNNFormat.NCW);
        File file = new File(dir, "mln.zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        INDArray mask = prefixMask(INPUT_LENGTHS, T);
        assertEquals(net.params(), restored.params());
        assertEquals(net.output(inputNcw(), false, mask, null), restored.output(inputNcw(), false, mask, null));

        ComputationGraph graph = graph(FUSED_OP_SEQ_LEN, Bidirectional.Mode.ADD, RNNFormat.NWC);
        File graphFile = new File(dir, "cg.zip");
        ModelSerializer.writeModel(graph, graphFile, true);
        ComputationGraph restoredGraph = ModelSerializer.restoreComputationGraph(graphFile, true);
        INDArray nwc = toFormat(inputNcw(), RNNFormat.NWC);
        assertEquals(graph.output(false, new INDArray[]{nwc}, new INDArray[]{mask})[0],
                restoredGraph.output(false, new INDArray[]{nwc}, new INDArray[]{mask})[0]);
    }
}
