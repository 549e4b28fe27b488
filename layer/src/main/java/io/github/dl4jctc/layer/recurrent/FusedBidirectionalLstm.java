package io.github.dl4jctc.layer.recurrent;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * A bidirectional LSTM run by libnd4j's fused {@code lstmLayer} op ({@code lstmLayer_bp} for the gradients: the
 * whole sequence in one native call instead of DL4J's dozen small ops per time step) and exact with ragged
 * sequences: the features mask gives each sequence's length, the backward direction starts at each sequence's own
 * last step, and a sample's outputs and gradients in a padded minibatch are those of the same sample run alone,
 * unpadded. Ragged minibatches run each direction as one batched call, the backward one on the sequences reversed
 * within their lengths, or, with {@link Builder#opSequenceLengths(boolean)}, both directions in one call with the
 * lengths as the op's {@code seqLen} input.
 * It computes the same function as {@code MaskedBidirectional(mode, LSTM)} with tanh/sigmoid activations and no
 * peepholes (the gate blocks are ordered differently, see below).
 *
 * <p>Input and output: {@code [N, nIn, T]} (NCW) or {@code [N, T, nIn]} (NWC), as {@link Builder#dataFormat} says;
 * the output has {@code 2 * nOut} features with {@link Bidirectional.Mode#CONCAT} (forward direction first) and
 * {@code nOut} with ADD, MUL and AVERAGE. Features mask: {@code [N, T]}, each row 1s followed by 0s (the sequence
 * lengths); it passes through unchanged to the next layer. Outputs at padded steps are 0, and so are the gradients
 * that reach padded input steps.
 *
 * <p>Parameters (the op's own layout, index 0 the forward direction, 1 the backward one): {@code W}
 * {@code [2, nIn, 4*nOut]}, {@code RW} {@code [2, nOut, 4*nOut]}, {@code b} {@code [2, 4*nOut]}, each {@code 4*nOut}
 * axis holding the input gate, forget gate, cell candidate and output gate in that order (DL4J's {@code LSTM} orders
 * them cell candidate, forget, output, input).
 *
 * <p>The layer is an {@link AbstractSameDiffLayer} for DL4J's parameter, updater, regularisation and JSON handling;
 * its runtime calls {@code lstmLayer} and {@code lstmLayer_bp} directly rather than through a SameDiff graph,
 * because in ND4J 1.0.0-M2.1 the SameDiff gradient of {@code lstmLayer} ignores its {@code seqLen} input (the
 * gradient graph's copy of the op loses it), so the gradient would not be that of the masked forward pass.
 *
 * <p><b>Native memory in DL4J/ND4J 1.0.0-M2.1:</b> libnd4j's {@code lstmLayer_bp} does not free its working
 * memory: every backward pass leaks about 2.5 times {@code N x T x 4 nOut} floats per direction (~7 MB at 32 sequences
 * of 43 steps and 128 units), which no garbage collection or workspace gets back. A training run of thousands of
 * steps exhausts the machine; use {@link MaskedBidirectional} of DL4J's LSTM for long runs.
 */
public class FusedBidirectionalLstm extends AbstractSameDiffLayer {
    /** Input weights {@code [2, nIn, 4*nOut]}. */
    public static final String INPUT_WEIGHT_KEY = "W";
    /** Recurrent weights {@code [2, nOut, 4*nOut]}. */
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    /** Biases {@code [2, 4*nOut]}. */
    public static final String BIAS_KEY = "b";

    @JsonProperty("nIn")
    private long nIn;
    @JsonProperty("nOut")
    private long nOut;
    @JsonProperty("mode")
    private Bidirectional.Mode mode;
    @JsonProperty("dataFormat")
    private RNNFormat dataFormat;
    @JsonProperty("activation")
    private Activation activation;
    @JsonProperty("forgetGateBiasInit")
    private double forgetGateBiasInit;
    @JsonProperty("weightInitFn")
    private IWeightInit weightInitFn;
    @JsonProperty("opSequenceLengths")
    private boolean opSequenceLengths;

    /** For Jackson. */
    private FusedBidirectionalLstm() {
    }

    private FusedBidirectionalLstm(Builder b) {
        super(b);
        this.nIn = b.nIn;
        this.nOut = b.nOut;
        this.mode = b.mode;
        this.dataFormat = b.dataFormat;
        this.activation = b.activation;
        this.forgetGateBiasInit = b.forgetGateBiasInit;
        this.weightInitFn = b.weightInitFn;
        this.opSequenceLengths = b.opSequenceLengths;
    }

    /** Input features. */
    @JsonIgnore
    public long getNIn() {
        return nIn;
    }

    /** Units of each direction. */
    @JsonIgnore
    public long getNOut() {
        return nOut;
    }

    public Bidirectional.Mode getMode() {
        return mode;
    }

    public RNNFormat getDataFormat() {
        return dataFormat;
    }

    public Activation getActivation() {
        return activation;
    }

    public double getForgetGateBiasInit() {
        return forgetGateBiasInit;
    }

    public IWeightInit getWeightInitFn() {
        return weightInitFn;
    }

    /** See {@link Builder#opSequenceLengths(boolean)}. */
    public boolean isOpSequenceLengths() {
        return opSequenceLengths;
    }

    /** Output features: {@code 2 * nOut} with CONCAT, {@code nOut} otherwise. */
    public long outputSize() {
        return mode == Bidirectional.Mode.CONCAT ? 2 * nOut : nOut;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent r = requireRecurrent(inputType);
        return InputType.recurrent(outputSize(), r.getTimeSeriesLength(), dataFormat);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeRecurrent r = requireRecurrent(inputType);
        if (nIn <= 0 || override) {
            nIn = r.getSize();
        }
    }

    private InputType.InputTypeRecurrent requireRecurrent(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent)) {
            throw new IllegalArgumentException("inputType: got " + inputType + ", expected a recurrent input type"
                    + " (InputType.recurrent) for layer " + getLayerName());
        }
        return (InputType.InputTypeRecurrent) inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, dataFormat, getLayerName());
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam(INPUT_WEIGHT_KEY, 2, nIn, 4 * nOut);
        params.addWeightParam(RECURRENT_WEIGHT_KEY, 2, nOut, 4 * nOut);
        params.addBiasParam(BIAS_KEY, 2, 4 * nOut);
    }

    /**
     * Weights as DL4J's LSTM draws them (fan-in nOut, fan-out nIn + nOut), biases 0 but the forget gate's. Values are
     * drawn into fresh arrays and assigned whole: in ND4J 1.0.0-M2.1 a sub-array taken with {@code get} from these
     * parameter views (reshaped offset views of the network's flat parameters) can come back without a data buffer.
     */
    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        IWeightInit init = weightInitFn == null ? WeightInit.XAVIER.getWeightInitFunction() : weightInitFn;
        for (String key : new String[]{INPUT_WEIGHT_KEY, RECURRENT_WEIGHT_KEY}) {
            INDArray p = params.get(key);
            INDArray drawn = Nd4j.createUninitialized(p.dataType(), p.length());
            p.assign(init.init(nOut, nIn + nOut, p.shape(), 'c', drawn));
        }
        INDArray b = Nd4j.zeros(params.get(BIAS_KEY).dataType(), 2, 4 * nOut);
        b.get(all(), interval(nOut, 2 * nOut)).assign(forgetGateBiasInit);
        params.get(BIAS_KEY).assign(b);
    }

    @Override
    public void applyGlobalConfigToLayer(NeuralNetConfiguration.Builder globalConfig) {
        if (weightInitFn == null) {
            weightInitFn = globalConfig.getWeightInitFn();
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        FusedBidirectionalLstmLayer ret = new FusedBidirectionalLstmLayer(conf, networkDataType);
        ret.setListeners(trainingListeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        ret.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        ret.setConf(conf);
        return ret;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FusedBidirectionalLstm) || !super.equals(o)) {
            return false;
        }
        FusedBidirectionalLstm that = (FusedBidirectionalLstm) o;
        return nIn == that.nIn && nOut == that.nOut && mode == that.mode && dataFormat == that.dataFormat
                && activation == that.activation
                && Double.compare(forgetGateBiasInit, that.forgetGateBiasInit) == 0
                && Objects.equals(weightInitFn, that.weightInitFn) && opSequenceLengths == that.opSequenceLengths;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), nIn, nOut, mode, dataFormat, activation, forgetGateBiasInit,
                weightInitFn, opSequenceLengths);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FusedBidirectionalLstm;
    }

    @Override
    public FusedBidirectionalLstm clone() {
        return (FusedBidirectionalLstm) super.clone();
    }

    /** Builder of {@link FusedBidirectionalLstm}. */
    public static class Builder extends AbstractSameDiffLayer.Builder<Builder> {
        private long nIn;
        private long nOut;
        private Bidirectional.Mode mode = Bidirectional.Mode.CONCAT;
        private RNNFormat dataFormat = RNNFormat.NCW;
        private Activation activation = Activation.TANH;
        private double forgetGateBiasInit = 1.0;
        private IWeightInit weightInitFn;
        private boolean opSequenceLengths;

        /**
         * How ragged minibatches run; both ways compute the same function and gradients.
         *
         * @param opSequenceLengths false (default): each direction as one batched call over the whole minibatch,
         *                          the backward one on the sequences reversed within their lengths; true: both
         *                          directions in one call with the lengths as the op's {@code seqLen} input, which
         *                          libnd4j (1.0.0-M2.1) runs sample by sample, several times slower
         *                          (docs/benchmarks.md)
         */
        public Builder opSequenceLengths(boolean opSequenceLengths) {
            this.opSequenceLengths = opSequenceLengths;
            return this;
        }

        /**
         * @param nIn input features; 0 (the default): taken from the network's input type
         */
        public Builder nIn(long nIn) {
            if (nIn < 0) {
                throw new IllegalArgumentException("nIn: got " + nIn + ", expected >= 0 (0: from the input type)");
            }
            this.nIn = nIn;
            return this;
        }

        /**
         * @param nOut units of each direction
         */
        public Builder nOut(long nOut) {
            if (nOut < 1) {
                throw new IllegalArgumentException("nOut: got " + nOut + ", expected >= 1");
            }
            this.nOut = nOut;
            return this;
        }

        /**
         * @param mode how the two directions' outputs combine: CONCAT (default; {@code 2 * nOut} features, forward
         *             first), ADD, MUL or AVERAGE ({@code nOut} features)
         */
        public Builder mode(Bidirectional.Mode mode) {
            if (mode == null) {
                throw new IllegalArgumentException("mode: got null, expected one of CONCAT, ADD, MUL, AVERAGE");
            }
            this.mode = mode;
            return this;
        }

        /**
         * @param dataFormat NCW (default): input and output {@code [N, C, T]}; NWC: {@code [N, T, C]}
         */
        public Builder dataFormat(RNNFormat dataFormat) {
            if (dataFormat == null) {
                throw new IllegalArgumentException("dataFormat: got null, expected NCW or NWC");
            }
            this.dataFormat = dataFormat;
            return this;
        }

        /**
         * @param activation activation of the cell candidate and of the cell state at the output: TANH (default)
         *                   or SOFTSIGN; the gates use the sigmoid
         */
        public Builder activation(Activation activation) {
            FusedLstmOps.activationCode(activation);
            this.activation = activation;
            return this;
        }

        /**
         * @param forgetGateBiasInit initial forget gate bias of both directions (default 1.0, as DL4J's LSTM)
         */
        public Builder forgetGateBiasInit(double forgetGateBiasInit) {
            this.forgetGateBiasInit = forgetGateBiasInit;
            return this;
        }

        /**
         * @param weightInit initialisation of {@code W} and {@code RW} (fan-in nOut, fan-out nIn + nOut, as DL4J's
         *                   LSTM); default: the network's
         */
        public Builder weightInit(WeightInit weightInit) {
            if (weightInit == null) {
                throw new IllegalArgumentException("weightInit: got null, expected a WeightInit");
            }
            this.weightInitFn = weightInit.getWeightInitFunction();
            return this;
        }

        /**
         * @param weightInit initialisation of {@code W} and {@code RW}; default: the network's
         */
        public Builder weightInit(IWeightInit weightInit) {
            if (weightInit == null) {
                throw new IllegalArgumentException("weightInit: got null, expected an IWeightInit");
            }
            this.weightInitFn = weightInit;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public FusedBidirectionalLstm build() {
            if (nOut < 1) {
                throw new IllegalArgumentException("nOut: got " + nOut + ", expected >= 1 (set it with nOut(...))");
            }
            return new FusedBidirectionalLstm(this);
        }
    }
}
