package io.github.dl4jctc.layer.recurrent;

import io.github.dl4jctc.layer.DoublePrecision;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.io.IOException;

import static io.github.dl4jctc.layer.recurrent.BidirectionalNets.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** InputType, JSON and ModelSerializer round trips, and the drop-in contract with DL4J's Bidirectional. */
@ExtendWith(DoublePrecision.class)
class MaskedBidirectionalConfigTest {
    @TempDir
    File dir;

    @Test
    void inputTypeGivesOutputSizesPerMode() {
        LSTM lstm = new LSTM.Builder().nIn(3).nOut(4).build();
        assertEquals(InputType.recurrent(8, RNNFormat.NCW),
                new MaskedBidirectional(lstm).getOutputType(0, InputType.recurrent(3, 6, RNNFormat.NCW)));
        // As DL4J's Bidirectional: CONCAT drops the sequence length from the type, the other modes keep it.
        assertEquals(InputType.recurrent(4, 6, RNNFormat.NCW), new MaskedBidirectional(Bidirectional.Mode.ADD, lstm)
                .getOutputType(0, InputType.recurrent(3, 6, RNNFormat.NCW)));
    }

    @Test
    void jsonRoundTripKeepsTheClassAndEquality() {
        MultiLayerConfiguration conf = mln(MaskedBidirectional::new, Bidirectional.Mode.MUL, RNNFormat.NWC)
                .getLayerWiseConfigurations();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertInstanceOf(MaskedBidirectional.class, back.getConf(0).getLayer());
        assertEquals(Bidirectional.Mode.MUL, ((Bidirectional) back.getConf(0).getLayer()).getMode());

        ComputationGraphConfiguration graphConf = graph(MaskedBidirectional::new, Bidirectional.Mode.CONCAT,
                RNNFormat.NCW).getConfiguration();
        assertEquals(graphConf, ComputationGraphConfiguration.fromJson(graphConf.toJson()));
    }

    @Test
    void notEqualToDl4jBidirectionalWithTheSameFields() {
        LSTM lstm = new LSTM.Builder().nIn(3).nOut(4).build();
        Bidirectional plain = new Bidirectional(lstm);
        MaskedBidirectional masked = new MaskedBidirectional(lstm);
        assertNotEquals(plain, masked);
        assertNotEquals(masked, plain);
    }

    @Test
    void modelSerializerRoundTripGivesTheSameMaskedOutput() throws IOException {
        MultiLayerNetwork net = mln(MaskedBidirectional::new, Bidirectional.Mode.CONCAT, RNNFormat.NCW);
        File file = new File(dir, "mln.zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        INDArray mask = prefixMask(INPUT_LENGTHS, T);
        assertEquals(net.output(inputNcw(), false, mask, null), restored.output(inputNcw(), false, mask, null));

        ComputationGraph graph = graph(MaskedBidirectional::new, Bidirectional.Mode.ADD, RNNFormat.NWC);
        File graphFile = new File(dir, "cg.zip");
        ModelSerializer.writeModel(graph, graphFile, true);
        ComputationGraph restoredGraph = ModelSerializer.restoreComputationGraph(graphFile, true);
        INDArray nwc = toFormat(inputNcw(), RNNFormat.NWC);
        assertEquals(graph.output(false, new INDArray[]{nwc}, new INDArray[]{mask})[0],
                restoredGraph.output(false, new INDArray[]{nwc}, new INDArray[]{mask})[0]);
    }

    /** Without padding nothing differs from DL4J's Bidirectional: same parameters, same outputs and gradients. */
    @Test
    void withoutPaddingMatchesDl4jBidirectional() {
        for (Bidirectional.Mode mode : Bidirectional.Mode.values()) {
            MultiLayerNetwork masked = mln(MaskedBidirectional::new, mode, RNNFormat.NCW);
            MultiLayerNetwork plain = mln(Bidirectional::new, mode, RNNFormat.NCW);
            plain.setParams(masked.params());
            assertEquals(plain.paramTable().keySet(), masked.paramTable().keySet());
            INDArray fullMask = prefixMask(new int[]{T, T, T, T}, T);
            INDArray expected = plain.output(inputNcw());
            assertEquals(0, relativeError(masked.output(inputNcw()), expected), 1e-15, mode.toString());
            assertEquals(0, relativeError(masked.output(inputNcw(), false, fullMask, null), expected), 1e-15,
                    mode.toString());
            INDArray labelsMask = prefixMask(TARGET_LENGTHS, S);
            masked.setInput(inputNcw());
            masked.setLabels(labels());
            masked.setLayerMaskArrays(null, labelsMask);
            masked.computeGradientAndScore();
            plain.setInput(inputNcw());
            plain.setLabels(labels());
            plain.setLayerMaskArrays(null, labelsMask);
            plain.computeGradientAndScore();
            assertEquals(0, relativeError(masked.gradient().gradient(), plain.gradient().gradient()), 1e-14,
                    mode.toString());
        }
    }
}
