package io.github.dl4jctc.layer.recurrent;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * A drop-in for DL4J's {@link Bidirectional} that is exact with ragged sequences: its backward direction reverses
 * each sequence within its own length, so padding stays at the end for both directions and a sample's outputs and
 * gradients in a padded minibatch are those of the same sample run alone, unpadded.
 *
 * <p>DL4J's {@code Bidirectional} reverses the whole padded sequence, so its backward direction reads the padding
 * first and carries it into every valid step (and the wrapped {@code LSTM} never receives the features mask in
 * 1.0.0-M2.1).
 *
 * <p>Input and output: {@code [N, nIn, T]} (NCW) or {@code [N, T, nIn]} (NWC), as the wrapped layer's data format
 * says; the output has {@code 2 * nOut} features with {@link Bidirectional.Mode#CONCAT} and {@code nOut} otherwise.
 * Features mask: {@code [N, T]}, each row 1s followed by 0s (the sequence lengths). Outputs at padded steps are 0,
 * and so are the gradients that reach padded input steps. Parameters and their names are those of
 * {@code Bidirectional} ({@code f*}, {@code b*}).
 *
 * <p>Wraps {@link LSTM}, {@link GravesLSTM} and {@link SimpleRnn}: causal recurrent layers whose valid steps do not
 * depend on later ones.
 */
public class MaskedBidirectional extends Bidirectional {

    /** For Jackson. */
    private MaskedBidirectional() {
    }

    /**
     * A wrapper in {@link Bidirectional.Mode#CONCAT} mode.
     *
     * @param layer the recurrent layer run in both directions: {@link LSTM}, {@link GravesLSTM} or {@link SimpleRnn}
     */
    public MaskedBidirectional(Layer layer) {
        this(Mode.CONCAT, layer);
    }

    /**
     * @param mode  how the two directions' outputs combine: CONCAT, ADD, MUL or AVERAGE
     * @param layer the recurrent layer run in both directions: {@link LSTM}, {@link GravesLSTM} or {@link SimpleRnn}
     */
    public MaskedBidirectional(Mode mode, Layer layer) {
        super(requireMode(mode), requireServable(layer));
    }

    private static Mode requireMode(Mode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("mode: got null, expected one of CONCAT, ADD, MUL, AVERAGE");
        }
        return mode;
    }

    static Layer requireServable(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("layer: got null, expected an LSTM, GravesLSTM or SimpleRnn");
        }
        // GravesBidirectionalLSTM extends BaseRecurrentLayer but is bidirectional itself; wrappers such as
        // LastTimeStep or TimeDistributed change what a time step is.
        boolean servable = (layer instanceof LSTM || layer instanceof GravesLSTM || layer instanceof SimpleRnn)
                && !(layer instanceof GravesBidirectionalLSTM);
        if (!servable) {
            throw new IllegalArgumentException("layer: got " + layer.getClass().getName()
                    + ", expected an LSTM, GravesLSTM or SimpleRnn (a causal recurrent layer that MaskedBidirectional"
                    + " can run within each sequence's length)");
        }
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        requireServable(getFwd());
        NeuralNetConfiguration c1 = conf.clone();
        NeuralNetConfiguration c2 = conf.clone();
        c1.setLayer(getFwd());
        c2.setLayer(getBwd());

        INDArray flat = layerParamsView.reshape(layerParamsView.length());
        long n = layerParamsView.length() / 2;
        org.deeplearning4j.nn.api.Layer f = getFwd().instantiate(c1, trainingListeners, layerIndex,
                flat.get(interval(0, n)), initializeParams, networkDataType);
        org.deeplearning4j.nn.api.Layer b = getBwd().instantiate(c2, trainingListeners, layerIndex,
                flat.get(interval(n, 2 * n)), initializeParams, networkDataType);

        MaskedBidirectionalLayer ret = new MaskedBidirectionalLayer(conf, f, b, layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskedBidirectional && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + MaskedBidirectional.class.hashCode();
    }

    /** A {@code Bidirectional} with the same fields is a different layer: keeps lombok's equals symmetric. */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof MaskedBidirectional;
    }
}
