package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Objects;

/**
 * CTC loss layer without parameters, for {@code MultiLayerNetwork} and {@code ComputationGraph}: its input already
 * is the per-frame logits, as DL4J's {@code RnnLossLayer} is to {@code RnnOutputLayer}. Configuration half of the
 * pair; the math lives in {@link CtcLossLayerImpl}. Use it when the layer below produces the C class scores per frame
 * itself (an {@code RnnOutputLayer}-free head such as a 1-D convolution or an LSTM with {@code nOut = C} and identity
 * activation); use {@link CtcOutputLayer} to have the projection to C classes done by the output layer.
 * <ul>
 *   <li>Input: logits {@code [N, C, T]} (NCW) or {@code [N, T, C]} (NWC), C classes the blank included; the loss
 *   is computed on their log-softmax over C. The features mask {@code [N, T]} gives each sequence's input
 *   length.</li>
 *   <li>Labels, labels mask, score and per-example scores: as for {@link CtcOutputLayer}, with C in place of
 *   {@code nOut}.</li>
 *   <li>Output: the softmax of the logits over C, {@code [N, C, T]} (NCW) or {@code [N, T, C]} (NWC); frames past a
 *   sequence's input length are 0.</li>
 * </ul>
 * C is read from the input; {@code nIn = nOut = C} is set from the network's input type when there is one (then an
 * input of another C is refused). The blank index must be below C.
 *
 * <pre>{@code
 * new CtcLossLayer.Builder()
 *     .blankIndex(0)
 *     .reduction(CtcReduction.MEAN)
 *     .zeroInfinity(false)
 *     .dataFormat(RNNFormat.NWC)
 *     .build();
 * }</pre>
 */
public class CtcLossLayer extends FeedForwardLayer implements CtcLayerSettings {

    private int blankIndex;
    private CtcReduction reduction;
    private boolean zeroInfinity;
    /** Null until set by the builder or adopted from the input type; {@link #getRnnDataFormat()} reads NCW then. */
    @JsonProperty("rnnDataFormat")
    private RNNFormat rnnDataFormat;

    /** For Jackson. */
    private CtcLossLayer() {
    }

    private CtcLossLayer(Builder builder) {
        super(builder);
        this.blankIndex = builder.blankIndex;
        this.reduction = builder.reduction;
        this.zeroInfinity = builder.zeroInfinity;
        this.rnnDataFormat = builder.dataFormat;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        if (nOut > 0) {
            checkBlank(blankIndex, nOut);
        }
        CtcLossLayerImpl ret = new CtcLossLayerImpl(conf, networkDataType);
        ret.setListeners(trainingListeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        ret.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        ret.setConf(conf);
        return ret;
    }

    @Override
    public ParamInitializer initializer() {
        return EmptyParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent recurrent = requireRecurrent(inputType, layerIndex);
        return InputType.recurrent(recurrent.getSize(), recurrent.getTimeSeriesLength(), getRnnDataFormat());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeRecurrent recurrent = requireRecurrent(inputType, -1);
        if (rnnDataFormat == null || override) {
            rnnDataFormat = recurrent.getFormat();
        }
        if (nIn <= 0 || override) {
            nIn = recurrent.getSize();
            nOut = nIn;
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, getRnnDataFormat(), getLayerName());
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        // Inference: the probabilities. Training: the gradient with respect to the logits (the epsilon).
        long perExample = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, CtcLossLayer.class, inputType, inputType)
                .standardMemory(0, 0)
                .workingMemory(0, perExample, 0, perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Index of the blank class, in {@code [0, C)}. */
    @Override
    public int getBlankIndex() {
        return blankIndex;
    }

    /** How the per-example losses become the score: {@link CtcReduction#MEAN} or {@link CtcReduction#SUM}. */
    @Override
    public CtcReduction getReduction() {
        return reduction;
    }

    /** Whether an example whose target cannot be aligned to its input scores 0 (with zero gradient) instead of +inf. */
    @Override
    public boolean isZeroInfinity() {
        return zeroInfinity;
    }

    /**
     * The data format the layer uses: the one set on the builder or adopted from the network's input type, NCW if
     * neither happened.
     */
    @Override
    @JsonIgnore
    public RNNFormat getRnnDataFormat() {
        return rnnDataFormat == null ? RNNFormat.NCW : rnnDataFormat;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof CtcLossLayer) || !super.equals(o)) return false;
        CtcLossLayer that = (CtcLossLayer) o;
        return blankIndex == that.blankIndex && zeroInfinity == that.zeroInfinity
                && reduction == that.reduction && rnnDataFormat == that.rnnDataFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), blankIndex, reduction, zeroInfinity, rnnDataFormat);
    }

    @Override
    public String toString() {
        return "CtcLossLayer(blankIndex=" + blankIndex + ", reduction=" + reduction + ", zeroInfinity="
                + zeroInfinity + ", rnnDataFormat=" + rnnDataFormat + ", super=" + super.toString() + ")";
    }

    private InputType.InputTypeRecurrent requireRecurrent(InputType inputType, int layerIndex) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException("Invalid input type for CtcLossLayer (layer index = " + layerIndex
                    + ", layer name = \"" + getLayerName() + "\"): expected recurrent logits [N, C, T], got "
                    + inputType);
        }
        return (InputType.InputTypeRecurrent) inputType;
    }

    static void checkBlank(int blankIndex, long numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("C (classes of the input): got " + numClasses
                    + ", expected at least 2 (the blank and one or more label classes)");
        }
        if (blankIndex >= numClasses) {
            throw new IllegalArgumentException("blankIndex: got " + blankIndex + ", expected an index in [0, C = "
                    + numClasses + ") (C = classes of the input)");
        }
    }

    /** Builder of {@link CtcLossLayer}; no setting is required. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {

        private int blankIndex = 0;
        private CtcReduction reduction = CtcReduction.MEAN;
        private boolean zeroInfinity = false;
        private RNNFormat dataFormat;

        public Builder() {
            // The output is the softmax of the input; the activation is not a free choice.
            this.setActivationFn(new ActivationSoftmax());
        }

        /** Index of the blank class (default 0). It must lie in {@code [0, C)}; labels must never equal it. */
        public Builder blankIndex(int blankIndex) {
            if (blankIndex < 0) {
                throw new IllegalArgumentException("blankIndex: got " + blankIndex + ", expected an index >= 0");
            }
            this.blankIndex = blankIndex;
            return this;
        }

        /**
         * How the per-example losses become the network score (default {@link CtcReduction#MEAN}), as for
         * {@link CtcOutputLayer.Builder#reduction}; {@link CtcReduction#NONE} is refused with an
         * {@link IllegalArgumentException}.
         */
        public Builder reduction(CtcReduction reduction) {
            if (reduction == null || reduction == CtcReduction.NONE) {
                throw new IllegalArgumentException("reduction: got " + reduction
                        + ", expected MEAN or SUM (the network score must be a scalar; per-example losses come"
                        + " from scoreExamples)");
            }
            this.reduction = reduction;
            return this;
        }

        /**
         * Whether an example whose target cannot be aligned to its input gets loss 0 and zero gradient instead of
         * an infinite loss (default false, as in PyTorch).
         */
        public Builder zeroInfinity(boolean zeroInfinity) {
            this.zeroInfinity = zeroInfinity;
            return this;
        }

        /**
         * Layout of the input logits and output probabilities: NCW = {@code [N, C, T]}, NWC = {@code [N, T, C]}.
         * If not set, the format of the input type given to the network configuration is used, or NCW without one.
         */
        public Builder dataFormat(RNNFormat dataFormat) {
            if (dataFormat == null) {
                throw new IllegalArgumentException("dataFormat: got null, expected NCW or NWC");
            }
            this.dataFormat = dataFormat;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CtcLossLayer build() {
            if (!(activationFn instanceof ActivationSoftmax)) {
                throw new IllegalArgumentException("activation: got " + activationFn
                        + ", expected softmax (CtcLossLayer always applies softmax to its input)");
            }
            if (nIn > 0 || nOut > 0) {
                if (nIn > 0 && nOut > 0 && nIn != nOut) {
                    throw new IllegalArgumentException("nOut: got " + nOut + ", expected nIn = " + nIn
                            + " (the layer has no parameters: its input already has the C classes)");
                }
                long c = Math.max(nIn, nOut);
                nIn = c;
                nOut = c;
                checkBlank(blankIndex, c);
            }
            return new CtcLossLayer(this);
        }
    }
}
