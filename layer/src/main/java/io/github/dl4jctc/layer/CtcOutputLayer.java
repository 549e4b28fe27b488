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
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonAlias;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Output layer trained with the connectionist temporal classification (CTC) loss, for {@code MultiLayerNetwork} and
 * {@code ComputationGraph}. Configuration half of the pair; the math lives in {@link CtcOutputLayerImpl}.
 * <p>
 * Like DL4J's {@code RnnOutputLayer}, the layer is a dense projection applied at every time step, with parameters
 * {@code W [nIn, nOut]} and {@code b [nOut]} (initialised, regularised, constrained and updated like any DL4J layer's),
 * followed by a softmax over the {@code nOut} classes, the blank included. The loss is PyTorch's
 * {@code ctc_loss} on the log-softmax of the logits {@code xW + b}.
 * <ul>
 *   <li>Input: recurrent activations {@code [N, nIn, T]} (NCW) or {@code [N, T, nIn]} (NWC). The features mask
 *   {@code [N, T]} (1s then 0s, propagated by DL4J through the earlier layers) gives each sequence's input length;
 *   without a features mask every sequence has all {@code T} frames.</li>
 *   <li>Labels: class indices {@code [N, S]} stored in the network's floating point type, or {@code [N, 1, S]}
 *   (what {@code DataSet.merge} produces from time-series-shaped labels of different widths). Each label must be an
 *   integer in {@code [0, nOut)} other than the blank. The labels mask {@code [N, S]} (1s then 0s) gives each target
 *   length; without a labels mask every target has all {@code S} labels. Values past a target's length are
 *   ignored.</li>
 *   <li>Output ({@code output}/{@code activate}): per-frame class probabilities {@code [N, nOut, T]} (NCW) or
 *   {@code [N, T, nOut]} (NWC); frames past a sequence's input length are 0.</li>
 *   <li>Score: the reduced CTC loss (PyTorch's {@code ctc_loss(reduction)}) plus the regularisation terms;
 *   per-example scores ({@code scoreExamples}): each example's negative log-likelihood (reduction {@code 'none'})
 *   plus the regularisation terms.</li>
 * </ul>
 * Bad labels or masks (a blank or out-of-range label, a mask that is not 1s followed by 0s, a mask of the wrong
 * shape) fail with an {@link IllegalArgumentException} when the loss is computed ({@code output} checks the
 * features mask by the same rules); a refused call leaves none of its masks in the layer.
 * <p>
 * Labels may be wider than the time axis (S &gt; T): only the target lengths given by the labels mask matter. An
 * example whose target needs more frames than its input has (its length, plus one blank between each pair of
 * repeated labels) cannot be aligned: as in PyTorch its loss is +inf and its gradient NaN, or 0 and zero gradient
 * with {@code zeroInfinity(true)}, which is the setting for long training runs on data that may hold such
 * examples. NaN or infinity in the input of a valid frame makes that example's loss NaN; in padding frames (past
 * the features mask) it changes neither the loss nor the output, whose padding frames are exactly 0.
 *
 * <pre>{@code
 * new CtcOutputLayer.Builder()
 *     .nIn(hidden).nOut(numClassesIncludingBlank)
 *     .blankIndex(0)
 *     .reduction(CtcReduction.MEAN)
 *     .zeroInfinity(false)
 *     .dataFormat(RNNFormat.NCW)
 *     .build();
 * }</pre>
 */
public class CtcOutputLayer extends FeedForwardLayer implements CtcLayerSettings {

    private int blankIndex;
    private CtcReduction reduction;
    private boolean zeroInfinity;
    /**
     * Null until set by the builder or adopted from the input type; {@link #getRnnDataFormat()} reads NCW then.
     * Also read under the key "dataFormat", so that JSON configurations saved with that key keep loading.
     */
    @JsonProperty("rnnDataFormat")
    @JsonAlias("dataFormat")
    private RNNFormat rnnDataFormat;

    /** For Jackson. */
    private CtcOutputLayer() {
    }

    private CtcOutputLayer(Builder builder) {
        super(builder);
        this.blankIndex = builder.blankIndex;
        this.reduction = builder.reduction;
        this.zeroInfinity = builder.zeroInfinity;
        this.rnnDataFormat = builder.dataFormat;
        initializeConstraints(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerValidation.assertNInNOutSet("CtcOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        checkClassCount(blankIndex, getNOut());

        CtcOutputLayerImpl ret = new CtcOutputLayerImpl(conf, networkDataType);
        ret.setListeners(trainingListeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent recurrent = requireRecurrent(inputType, layerIndex);
        return InputType.recurrent(nOut, recurrent.getTimeSeriesLength(), getRnnDataFormat());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeRecurrent recurrent = requireRecurrent(inputType, -1);
        if (rnnDataFormat == null || override) {
            rnnDataFormat = recurrent.getFormat();
        }
        if (nIn <= 0 || override) {
            nIn = recurrent.getSize();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, getRnnDataFormat(), getLayerName());
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterStateSize = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);

        // Inference: logits and probabilities per frame. Training: logits, their CTC gradient and the epsilon
        // for the layer below; the alpha/beta tables of the op are [T, 2S+1] per example and not counted here.
        long perExampleOut = outputType.arrayElementsPerExample();
        long inferenceVariable = 2 * perExampleOut;
        long trainVariable = 2 * perExampleOut + inputType.arrayElementsPerExample();
        if (getIDropout() != null) {
            trainVariable += inputType.arrayElementsPerExample();
        }
        return new LayerMemoryReport.Builder(layerName, CtcOutputLayer.class, inputType, outputType)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(0, inferenceVariable, 0, trainVariable)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Index of the blank class, in {@code [0, nOut)}. */
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
        if (!(o instanceof CtcOutputLayer) || !super.equals(o)) return false;
        CtcOutputLayer that = (CtcOutputLayer) o;
        return blankIndex == that.blankIndex && zeroInfinity == that.zeroInfinity
                && reduction == that.reduction && rnnDataFormat == that.rnnDataFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), blankIndex, reduction, zeroInfinity, rnnDataFormat);
    }

    @Override
    public String toString() {
        return "CtcOutputLayer(blankIndex=" + blankIndex + ", reduction=" + reduction + ", zeroInfinity="
                + zeroInfinity + ", rnnDataFormat=" + rnnDataFormat + ", super=" + super.toString() + ")";
    }

    private InputType.InputTypeRecurrent requireRecurrent(InputType inputType, int layerIndex) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException("Invalid input type for CtcOutputLayer (layer index = " + layerIndex
                    + ", layer name = \"" + getLayerName() + "\"): expected recurrent input [N, nIn, T], got "
                    + inputType);
        }
        return (InputType.InputTypeRecurrent) inputType;
    }

    private static void checkClassCount(int blankIndex, long nOut) {
        if (nOut < 2) {
            throw new IllegalArgumentException("nOut: got " + nOut
                    + ", expected at least 2 (the blank and one or more label classes)");
        }
        if (blankIndex >= nOut) {
            throw new IllegalArgumentException("blankIndex: got " + blankIndex + ", expected an index in [0, nOut = "
                    + nOut + ")");
        }
    }

    /** Builder of {@link CtcOutputLayer}; {@code nOut} is required, {@code nIn} too unless an input type sets it. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {

        private int blankIndex = 0;
        private CtcReduction reduction = CtcReduction.MEAN;
        private boolean zeroInfinity = false;
        private RNNFormat dataFormat;

        public Builder() {
            // The CTC loss is defined on the softmax of the logits; the activation is not a free choice.
            this.setActivationFn(new ActivationSoftmax());
        }

        /**
         * Index of the blank class (default 0). It must lie in {@code [0, nOut)}; labels must never equal it.
         */
        public Builder blankIndex(int blankIndex) {
            if (blankIndex < 0) {
                throw new IllegalArgumentException("blankIndex: got " + blankIndex + ", expected an index >= 0");
            }
            this.blankIndex = blankIndex;
            return this;
        }

        /**
         * How the per-example losses become the network score (default {@link CtcReduction#MEAN}), with PyTorch's
         * semantics: MEAN divides each example's negative log-likelihood by its target length (at least 1) and
         * averages over the minibatch; SUM adds the negative log-likelihoods. {@link CtcReduction#NONE} is refused
         * with an {@link IllegalArgumentException}: a network score is a scalar (per-example losses are what
         * {@code scoreExamples} returns, whatever the reduction).
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
         * Whether an example whose target cannot be aligned to its input (input length shorter than the target
         * needs) gets loss 0 and zero gradient instead of an infinite loss (default false, as in PyTorch).
         */
        public Builder zeroInfinity(boolean zeroInfinity) {
            this.zeroInfinity = zeroInfinity;
            return this;
        }

        /**
         * Layout of the input and output activations: NCW = {@code [N, size, T]}, NWC = {@code [N, T, size]}.
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
        public CtcOutputLayer build() {
            if (!(activationFn instanceof ActivationSoftmax)) {
                throw new IllegalArgumentException("activation: got " + activationFn
                        + ", expected softmax (CtcOutputLayer always applies softmax to its logits)");
            }
            if (nOut > 0) {
                checkClassCount(blankIndex, nOut);
            }
            return new CtcOutputLayer(this);
        }
    }
}
