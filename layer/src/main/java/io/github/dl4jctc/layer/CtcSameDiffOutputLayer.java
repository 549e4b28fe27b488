package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.Ctc;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * CTC output layer written with DL4J's SameDiff layer API: a subclass of DL4J's {@link SameDiffOutputLayer} whose
 * {@link #defineLayer} builds the dense projection ({@code W [nIn, nOut]}, {@code b [nOut]}) and
 * {@link Ctc#lossFromLogits(SameDiff, String, SDVariable, SDVariable, SDVariable, SDVariable, CtcOptions)} in the
 * layer's SameDiff graph, the way a DL4J user who writes SameDiff layers uses a SameDiff custom op. Same
 * parameters, score and gradients as {@link CtcOutputLayer} on the data it accepts; prefer {@link CtcOutputLayer}
 * for anything else (masks, ragged inputs).
 *
 * <h2>Contract</h2>
 * DL4J 1.0.0-M2.1 hands no masks to a SameDiff output layer's graph, so the layer's data carries its lengths:
 * <ul>
 *   <li>Input: {@code [N, nIn, T]} (NCW) or {@code [N, T, nIn]} (NWC), every example with all T frames: a features
 *   mask with a 0 in it is refused ({@link IllegalArgumentException}), an all-ones one is accepted.</li>
 *   <li>Labels: {@code [N, S]} class indices in the network's floating point type, each row the target's labels
 *   (integers in {@code [0, nOut)} other than the blank) followed by -1 up to S; the target lengths are computed in
 *   the graph as the number of labels {@code >= 0}. A row that is not of this form (a -1 before a label, any other
 *   negative or non-integer value, a label out of range or equal to the blank) is refused with an
 *   {@link IllegalArgumentException} naming example, position and value, checked in Java when DL4J hands the labels
 *   to the layer for a score or a gradient (a SameDiff graph cannot raise an exception that names them). A labels
 *   mask, if given, must mark exactly the labels that are not -1.</li>
 *   <li>Output: per-frame class probabilities in the layer's format.</li>
 *   <li>Score: PyTorch's {@code ctc_loss(reduction)} plus the regularisation terms, as for {@link CtcOutputLayer};
 *   per-example scores: each example's negative log-likelihood plus the regularisation terms.</li>
 * </ul>
 * T and S may change from one minibatch to the next (the layer's placeholders leave them open, where DL4J's
 * SameDiff output layer fixes every dimension but the batch one to the first minibatch's). The CTC op classes are
 * registered with ND4J when the graph is built ({@link Ctc}'s class initialisation), so a saved network loads and
 * trains in a fresh JVM without a call to {@link Ctc#registerOps()}.
 *
 * <pre>{@code
 * new CtcSameDiffOutputLayer.Builder()
 *     .nIn(hidden).nOut(numClassesIncludingBlank)
 *     .blankIndex(0)
 *     .reduction(CtcReduction.MEAN)
 *     .build();
 * }</pre>
 */
public class CtcSameDiffOutputLayer extends SameDiffOutputLayer implements CtcLayerSettings {
    static final String WEIGHTS = "W";
    static final String BIAS = "b";
    /** Name of the graph variable holding the per-example losses {@code [N]}. */
    static final String PER_EXAMPLE = "ctcPerExample";
    static final String PROBABILITIES = "probabilities";

    @JsonProperty("nIn")
    private long nIn;
    @JsonProperty("nOut")
    private long nOut;
    private int blankIndex;
    private CtcReduction reduction;
    private boolean zeroInfinity;
    @JsonProperty("rnnDataFormat")
    private RNNFormat rnnDataFormat;
    private WeightInit weightInit;

    /** For Jackson. */
    private CtcSameDiffOutputLayer() {
    }

    private CtcSameDiffOutputLayer(Builder builder) {
        // DL4J's SameDiffOutputLayer has no Builder constructor: the Builder copies the common settings itself.
        builder.copyCommonSettingsTo(this);
        this.nIn = builder.nIn;
        this.nOut = builder.nOut;
        this.blankIndex = builder.blankIndex;
        this.reduction = builder.reduction;
        this.zeroInfinity = builder.zeroInfinity;
        this.rnnDataFormat = builder.dataFormat;
        this.weightInit = builder.weightInit;
    }

    /**
     * The projection's logits, the probabilities (the activations) and the CTC loss, scaled by the minibatch size N:
     * DL4J's SameDiff output layer divides the graph's output by N to make the score and (through
     * {@code miniBatch(true)}) the gradient, so the graph returns N times the reduced loss for both to be those of
     * the reduced loss, as with {@link CtcOutputLayer}.
     */
    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> params) {
        SDVariable frames = getRnnDataFormat() == RNNFormat.NCW ? sd.permute(input, 0, 2, 1) : input; // [N, T, nIn]
        // A product of the frames as rows [N*T, nIn] reshaped back, not tensorMmul: M2.1's tensormmul_bp fails on
        // a rank 3 by rank 2 product ("the dimensions at given axes for both input arrays must be the same").
        SDVariable shapeNtc = sd.concat(0, sd.shape(frames).get(SDIndex.interval(0, 2)),
                sd.constant(Nd4j.createFromArray(new long[]{nOut})));
        SDVariable rows = sd.reshape(frames, -1, nIn).mmul(params.get(WEIGHTS)).add(params.get(BIAS));
        SDVariable logits = sd.reshape(rows, shapeNtc);                                            // [N, T, C]
        SDVariable probabilities = sd.nn().softmax(logits, 2);
        if (getRnnDataFormat() == RNNFormat.NCW) {
            probabilities = sd.permute(probabilities, 0, 2, 1);
        }
        probabilities.rename(PROBABILITIES);

        SDVariable isLabel = sd.gte(labels, 0.0).castTo(DataType.INT);                             // [N, S]
        SDVariable targetLengths = isLabel.sum(1);                                                  // [N]
        SDVariable targets = labels.castTo(DataType.INT).mul(isLabel);                              // -1 -> 0
        SDVariable inputLengths = sd.zerosLike(targetLengths).add(sd.sizeAt(logits, 1).castTo(DataType.INT));
        Ctc.lossFromLogits(sd, PER_EXAMPLE, logits, targets, inputLengths, targetLengths, options(CtcReduction.NONE));
        SDVariable loss = Ctc.lossFromLogits(sd, null, logits, targets, inputLengths, targetLengths,
                options(reduction));
        return loss.mul(sd.sizeAt(input, 0).castTo(loss.dataType()));
    }

    private CtcOptions options(CtcReduction r) {
        return CtcOptions.builder().blank(blankIndex).reduction(r).zeroInfinity(zeroInfinity).layout(CtcLayout.NTC)
                .build();
    }

    @Override
    public String activationsVertexName() {
        return PROBABILITIES;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam(WEIGHTS, nIn, nOut);
        params.addBiasParam(BIAS, nOut);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initWeights((int) nIn, (int) nOut, weightInit, params.get(WEIGHTS));
        params.get(BIAS).assign(0.0);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        checkSizes(nIn, nOut, blankIndex);
        CtcSameDiffOutputLayerImpl ret = new CtcSameDiffOutputLayerImpl(conf, networkDataType);
        ret.setIndex(layerIndex);
        ret.setListeners(trainingListeners);
        ret.setParamsViewArray(layerParamsView);
        ret.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        ret.setConf(conf);
        return ret;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent recurrent = requireRecurrent(inputType);
        return InputType.recurrent(nOut, recurrent.getTimeSeriesLength(), getRnnDataFormat());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeRecurrent recurrent = requireRecurrent(inputType);
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

    /** Number of input features per frame. */
    @JsonProperty("nIn")
    public long getNIn() {
        return nIn;
    }

    /** Number of classes C, the blank included. */
    @JsonProperty("nOut")
    public long getNOut() {
        return nOut;
    }

    /** Index of the blank class, in {@code [0, nOut)}. */
    @Override
    public int getBlankIndex() {
        return blankIndex;
    }

    /** MEAN or SUM. */
    @Override
    public CtcReduction getReduction() {
        return reduction;
    }

    /** Whether an example that cannot be aligned scores 0 with zero gradient instead of +inf. */
    @Override
    public boolean isZeroInfinity() {
        return zeroInfinity;
    }

    /** The format set on the builder or adopted from the input type, NCW if neither happened. */
    @Override
    @JsonIgnore
    public RNNFormat getRnnDataFormat() {
        return rnnDataFormat == null ? RNNFormat.NCW : rnnDataFormat;
    }

    /** Initialisation of W. */
    public WeightInit getWeightInit() {
        return weightInit;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof CtcSameDiffOutputLayer)) return false;
        CtcSameDiffOutputLayer that = (CtcSameDiffOutputLayer) o;
        return nIn == that.nIn && nOut == that.nOut && blankIndex == that.blankIndex
                && zeroInfinity == that.zeroInfinity && reduction == that.reduction
                && rnnDataFormat == that.rnnDataFormat && weightInit == that.weightInit
                && Objects.equals(getLayerName(), that.getLayerName())
                && Objects.equals(regularization, that.regularization)
                && Objects.equals(regularizationBias, that.regularizationBias)
                && Objects.equals(updater, that.updater) && Objects.equals(biasUpdater, that.biasUpdater);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nIn, nOut, blankIndex, reduction, zeroInfinity, rnnDataFormat, weightInit,
                getLayerName());
    }

    @Override
    public String toString() {
        return "CtcSameDiffOutputLayer(nIn=" + nIn + ", nOut=" + nOut + ", blankIndex=" + blankIndex
                + ", reduction=" + reduction + ", zeroInfinity=" + zeroInfinity + ", rnnDataFormat=" + rnnDataFormat
                + ")";
    }

    private InputType.InputTypeRecurrent requireRecurrent(InputType inputType) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException("Invalid input type for CtcSameDiffOutputLayer (layer name = \""
                    + getLayerName() + "\"): expected recurrent input [N, nIn, T], got " + inputType);
        }
        return (InputType.InputTypeRecurrent) inputType;
    }

    private static void checkSizes(long nIn, long nOut, int blankIndex) {
        if (nIn <= 0) {
            throw new IllegalArgumentException("nIn: got " + nIn + ", expected > 0 (set it or give an input type)");
        }
        if (nOut < 2) {
            throw new IllegalArgumentException("nOut: got " + nOut
                    + ", expected at least 2 (the blank and one or more label classes)");
        }
        if (blankIndex >= nOut) {
            throw new IllegalArgumentException("blankIndex: got " + blankIndex + ", expected an index in [0, nOut = "
                    + nOut + ")");
        }
    }

    /** Builder of {@link CtcSameDiffOutputLayer}; {@code nOut} is required, {@code nIn} too unless an input type sets it. */
    public static class Builder extends AbstractSameDiffLayer.Builder<Builder> {
        private long nIn;
        private long nOut;
        private int blankIndex = 0;
        private CtcReduction reduction = CtcReduction.MEAN;
        private boolean zeroInfinity = false;
        private RNNFormat dataFormat;
        private WeightInit weightInit = WeightInit.XAVIER;

        /** Number of input features per frame. */
        public Builder nIn(long nIn) {
            if (nIn <= 0) {
                throw new IllegalArgumentException("nIn: got " + nIn + ", expected > 0");
            }
            this.nIn = nIn;
            return this;
        }

        /** Number of classes C, the blank included (at least 2). */
        public Builder nOut(long nOut) {
            if (nOut < 2) {
                throw new IllegalArgumentException("nOut: got " + nOut
                        + ", expected at least 2 (the blank and one or more label classes)");
            }
            this.nOut = nOut;
            return this;
        }

        /** Index of the blank class (default 0), in {@code [0, nOut)}; labels must never equal it. */
        public Builder blankIndex(int blankIndex) {
            if (blankIndex < 0) {
                throw new IllegalArgumentException("blankIndex: got " + blankIndex + ", expected an index >= 0");
            }
            this.blankIndex = blankIndex;
            return this;
        }

        /** MEAN (default) or SUM, as for {@link CtcOutputLayer.Builder#reduction}; NONE is refused. */
        public Builder reduction(CtcReduction reduction) {
            if (reduction == null || reduction == CtcReduction.NONE) {
                throw new IllegalArgumentException("reduction: got " + reduction
                        + ", expected MEAN or SUM (the network score must be a scalar; per-example losses come"
                        + " from scoreExamples)");
            }
            this.reduction = reduction;
            return this;
        }

        /** Whether an example that cannot be aligned scores 0 with zero gradient instead of +inf (default false). */
        public Builder zeroInfinity(boolean zeroInfinity) {
            this.zeroInfinity = zeroInfinity;
            return this;
        }

        /** Layout of input and output: NCW = {@code [N, size, T]} (default), NWC = {@code [N, T, size]}. */
        public Builder dataFormat(RNNFormat dataFormat) {
            if (dataFormat == null) {
                throw new IllegalArgumentException("dataFormat: got null, expected NCW or NWC");
            }
            this.dataFormat = dataFormat;
            return this;
        }

        /** Initialisation of W (default XAVIER); b starts at 0. */
        public Builder weightInit(WeightInit weightInit) {
            if (weightInit == null) {
                throw new IllegalArgumentException("weightInit: got null, expected a WeightInit");
            }
            this.weightInit = weightInit;
            return this;
        }

        private void copyCommonSettingsTo(CtcSameDiffOutputLayer layer) {
            layer.layerName = layerName;
            layer.iDropout = iDropout;
            layer.regularization = regularization;
            layer.regularizationBias = regularizationBias;
            layer.updater = updater;
            layer.biasUpdater = biasUpdater;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CtcSameDiffOutputLayer build() {
            if (nOut > 0 && blankIndex >= nOut) {
                throw new IllegalArgumentException("blankIndex: got " + blankIndex + ", expected an index in [0, nOut = "
                        + nOut + ")");
            }
            return new CtcSameDiffOutputLayer(this);
        }
    }
}
