package io.github.dl4jctc.layer.recurrent;

import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.function.BiFunction;

/** Small float64 networks: two bidirectional LSTM layers and a CtcOutputLayer, with ragged data to feed them. */
final class BidirectionalNets {
    static final int N = 4;
    static final int N_IN = 3;
    static final int T = 6;
    static final int C = 5;
    static final int S = 3;
    static final int[] INPUT_LENGTHS = {6, 3, 1, 5};
    static final int[] TARGET_LENGTHS = {3, 2, 1, 2};
    static final double[][] LABELS = {{1, 2, 3}, {4, 1, 0}, {2, 0, 0}, {3, 4, 0}};

    /** A wrapper factory: DL4J's Bidirectional::new or MaskedBidirectional::new. */
    interface Wrapper extends BiFunction<Bidirectional.Mode, Layer, Layer> {
    }

    /** {@link FusedBidirectionalLstm} with the LSTM's nOut and data format (tanh, as {@link #lstm}). */
    static final Wrapper FUSED = (mode, layer) -> fused(mode, layer, false);
    /** As {@link #FUSED}, ragged lengths going to the op's seqLen input. */
    static final Wrapper FUSED_OP_SEQ_LEN = (mode, layer) -> fused(mode, layer, true);

    private static Layer fused(Bidirectional.Mode mode, Layer layer, boolean opSequenceLengths) {
        return new FusedBidirectionalLstm.Builder().nOut(((LSTM) layer).getNOut()).mode(mode)
                .dataFormat(((LSTM) layer).getRnnDataFormat()).opSequenceLengths(opSequenceLengths).build();
    }

    private BidirectionalNets() {
    }

    static LSTM lstm(int nOut, RNNFormat format) {
        return new LSTM.Builder().nOut(nOut).activation(Activation.TANH).dataFormat(format).build();
    }

    static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE).updater(new NoOp());
    }

    static CtcOutputLayer ctc(RNNFormat format) {
        return new CtcOutputLayer.Builder().nOut(C).reduction(CtcReduction.SUM).dataFormat(format).build();
    }

    static MultiLayerNetwork mln(Wrapper wrapper, Bidirectional.Mode mode, RNNFormat format) {
        return mln(wrapper, mode, format, 4, 3);
    }

    /** Two stacked wrappers of LSTMs with {@code units1} and {@code units2} units, then a CtcOutputLayer. */
    static MultiLayerNetwork mln(Wrapper wrapper, Bidirectional.Mode mode, RNNFormat format, int units1, int units2) {
        MultiLayerConfiguration conf = base().list()
                .layer(wrapper.apply(mode, lstm(units1, format)))
                .layer(wrapper.apply(Bidirectional.Mode.CONCAT, lstm(units2, format)))
                .layer(ctc(format))
                .setInputType(InputType.recurrent(N_IN, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph graph(Wrapper wrapper, Bidirectional.Mode mode, RNNFormat format) {
        return graph(wrapper, mode, format, 4, 3);
    }

    static ComputationGraph graph(Wrapper wrapper, Bidirectional.Mode mode, RNNFormat format, int units1,
                                  int units2) {
        ComputationGraphConfiguration conf = base().graphBuilder()
                .addInputs("in")
                .addLayer("bi1", wrapper.apply(mode, lstm(units1, format)), "in")
                .addLayer("bi2", wrapper.apply(Bidirectional.Mode.CONCAT, lstm(units2, format)), "bi1")
                .addLayer("ctc", ctc(format), "bi2")
                .setOutputs("ctc")
                .setInputTypes(InputType.recurrent(N_IN, format))
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** [N, N_IN, T] with random values at padded steps too: padding must not matter whatever it holds. */
    static INDArray inputNcw() {
        Nd4j.getRandom().setSeed(42);
        return Nd4j.rand(DataType.DOUBLE, N, N_IN, T).subi(0.5).muli(2);
    }

    static INDArray toFormat(INDArray ncw, RNNFormat format) {
        return format == RNNFormat.NWC ? ncw.permute(0, 2, 1).dup('c') : ncw;
    }

    static INDArray labels() {
        return Nd4j.createFromArray(LABELS);
    }

    static INDArray prefixMask(int[] lengths, int width) {
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, lengths.length, width);
        for (int i = 0; i < lengths.length; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                mask.putScalar(i, j, 1.0);
            }
        }
        return mask;
    }

    static double relativeError(INDArray actual, INDArray expected) {
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-300);
        return actual.sub(expected).amaxNumber().doubleValue() / scale;
    }
}
