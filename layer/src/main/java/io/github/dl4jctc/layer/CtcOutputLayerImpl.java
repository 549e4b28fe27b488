package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.Ctc;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import io.github.dl4jctc.ops.CtcReduction;
import io.github.dl4jctc.ops.CtcResult;
import io.github.dl4jctc.ops.HostValues;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runtime half of {@link CtcOutputLayer}: the dense projection, the softmax output and the CTC loss and gradient
 * (through {@link Ctc#lossAndGradientFromLogits}).
 * <p>
 * Score and gradient follow DL4J's convention for output layers: the score reported is PyTorch's
 * {@code ctc_loss(reduction)} plus regularisation, and the gradient returned by {@link #backpropGradient} is the
 * gradient of that loss multiplied by the minibatch size when the network divides gradients by it
 * ({@code miniBatch(true)}, the default), so that the update DL4J applies is the gradient of the reported score.
 * <p>
 * Two masks are kept apart: the features mask {@code [N, T]} arrives through {@link #feedForwardMaskArray} and
 * gives the input lengths; the labels mask {@code [N, S]} arrives through {@link #setMaskArray} and gives the target
 * lengths (see {@link CtcOutputLayer} for shapes).
 */
public class CtcOutputLayerImpl extends BaseLayer<CtcOutputLayer> implements IOutputLayer {

    private INDArray labels;
    /** Input lengths, see {@link FeaturesMaskHolder}; the labels mask is AbstractLayer's {@code maskArray}. */
    private final FeaturesMaskHolder featuresMask = new FeaturesMaskHolder();
    /** Reduced loss of the last backprop, reused by the {@code computeScore} that follows it, see {@link LossMemo}. */
    private transient LossMemo lossMemo;
    /** See {@link #ones}. */
    private transient INDArray onesRow;

    public CtcOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        featuresMask.inputSet();
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    /**
     * Sets the labels mask {@code [N, S]} (target lengths). {@code null} clears it and releases the features mask,
     * which is dropped when the next input is set.
     */
    @Override
    public void setMaskArray(INDArray labelsMask) {
        this.maskArray = labelsMask;
        if (labelsMask == null) {
            featuresMask.release();
        }
    }

    /** The features mask {@code [N, T]} (input lengths) currently in use, or null. */
    public INDArray getFeaturesMask() {
        return featuresMask.get();
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        // Whatever the state (an LSTM passes its mask on as Passthrough), the mask still tells where each sequence
        // ends, which is what CTC needs.
        featuresMask.fedForward(maskArray);
        return null; // last layer of the network
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    /** Per-frame class probabilities {@code [N, C, T]} (NCW) or {@code [N, T, C]} (NWC); 0 past each input length. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return endingTheMinibatchOnFailure(() -> {
            assertInputSet(false);
            applyDropOutIfNecessary(training, workspaceMgr);
            Frames frames = frames(training, workspaceMgr, ArrayType.FF_WORKING_MEM);
            INDArray probabilities = Nd4j.exec(new SoftMax(frames.logits, frames.logits, 1))[0]; // in place
            INDArray probabilities3d = probabilities.reshape('c', frames.n, frames.t, layerConf().getNOut());
            INDArray mask = featuresMask.get();
            if (mask != null) {
                // Padding frames are set to 0, not multiplied by the mask: garbage there (NaN, inf) would survive.
                int[] lengths = CtcTargetBatch.inputLengths(mask, frames.n, frames.t, layerId());
                for (int n = 0; n < lengths.length; n++) {
                    if (lengths[n] < frames.t) {
                        probabilities3d.get(NDArrayIndex.point(n), NDArrayIndex.interval(lengths[n], frames.t),
                                NDArrayIndex.all()).assign(0.0);
                    }
                }
            }
            return toLayerFormat(probabilities3d, ArrayType.ACTIVATIONS, workspaceMgr);
        });
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return endingTheMinibatchOnFailure(() -> {
            assertInputSet(true);
            assertLabelsSet();
            applyDropOutIfNecessary(true, workspaceMgr);
            Frames frames = frames(true, workspaceMgr, ArrayType.BP_WORKING_MEM);
            CtcResult result = lossAndGradient(frames, workspaceMgr);
            lossMemo = new LossMemo(result.loss().getDouble(0), input, labels, maskArray, featuresMask.get());

            INDArray delta = result.gradient().reshape('c', frames.n * frames.t, layerConf().getNOut());
            // DL4J divides every gradient by the minibatch size before the update: undo it here so that the update is
            // the gradient of the reduced loss that computeScore reports. As the products' factor, not a pass of its
            // own over delta ([N*T, C]: 128 MB at 16x400x5000).
            double scale = conf().isMiniBatch() ? frames.n : 1.0;

            Gradient gradient = new DefaultGradient();
            INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
            Nd4j.gemm(frames.features, delta, weightGrad, !frames.columns, false, scale, 0.0);
            gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
            INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            // A column sum as a product with a row of ones: ND4J's sum along dimension 0 of [N*T, C] took as long as
            // the CTC op itself (measured at 16x400x5000), the matrix product a tenth of that. Straight into biasGrad,
            // a contiguous view, reshaped with enforceView (which throws rather than copy).
            Nd4j.gemm(ones(frames.n * frames.t, delta.dataType()), delta,
                    biasGrad.reshape('c', true, 1, biasGrad.length()), false, false, scale, 0.0);
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);

            INDArray epsilonNext = epsilon(frames, delta, scale, workspaceMgr);
            // The noisy weights (if any) are kept for the score of this same iteration; the network clears them.
            return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
        });
    }

    /**
     * The gradient with respect to the input, in the layer's format: NWC {@code [N, T, nIn]} straight from the
     * product {@code delta W^T}; NCW {@code [N, nIn, T]} from {@code W delta^T} ({@code [nIn, N*T]}), whose rows
     * move into place in runs of T values (a transposition of {@code [N*T, nIn]} moves single values).
     */
    private INDArray epsilon(Frames frames, INDArray delta, double scale, LayerWorkspaceMgr workspaceMgr) {
        long nIn = frames.weights.size(0);
        if (!frames.columns) {
            INDArray rows = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                    new long[]{frames.n * frames.t, nIn}, 'c');
            Nd4j.gemm(delta, frames.weights, rows, false, true, scale, 0.0);
            return rows.reshape('c', frames.n, frames.t, nIn);
        }
        INDArray columns = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, delta.dataType(),
                new long[]{nIn, frames.n * frames.t}, 'c');
        Nd4j.gemm(frames.weights, delta, columns, false, true, scale, 0.0);
        INDArray ncw = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[]{frames.n, nIn, frames.t}, 'c');
        return ncw.assign(columns.reshape('c', nIn, frames.n, frames.t).permute(1, 0, 2));
    }

    /**
     * A row {@code [1, length]} of ones: a view of a row kept from one step to the next, grown when a longer one is
     * asked for (minibatches of varying T), so that steps do not fill one each (a native op costing as much as a
     * small batch's matrix products, at 32x150x29).
     */
    private INDArray ones(long length, DataType type) {
        if (onesRow == null || onesRow.length() < length || onesRow.dataType() != type) {
            long size = onesRow == null || onesRow.dataType() != type ? length : Math.max(length, 2 * onesRow.length());
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                onesRow = Nd4j.ones(type, 1, size);   // outside the step's workspaces: it outlives the step
            }
        }
        return onesRow.length() == length ? onesRow
                : onesRow.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, length)).reshape(1, length);
    }

    /**
     * The reduced CTC loss (PyTorch's {@code ctc_loss} with the layer's reduction) plus {@code fullNetRegTerm}.
     */
    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return endingTheMinibatchOnFailure(() -> {
            assertInputSet(false);
            assertLabelsSet();
            double loss;
            if (training && lossMemo != null && lossMemo.isFor(input, labels, maskArray, featuresMask.get())) {
                loss = lossMemo.loss;
            } else {
                loss = lossPerReduction(training, workspaceMgr, layerConf().getReduction()).getDouble(0);
            }
            lossMemo = null;
            score = loss + fullNetRegTerm;
            return score;
        });
    }

    /**
     * Each example's negative log-likelihood (PyTorch's reduction {@code 'none'}) plus {@code fullNetRegTerm},
     * as a column {@code [N, 1]}.
     */
    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        return endingTheMinibatchOnFailure(() -> {
            assertInputSet(false);
            assertLabelsSet();
            INDArray perExample = lossPerReduction(false, workspaceMgr, CtcReduction.NONE);
            INDArray column = perExample.castTo(dataType).reshape(perExample.length(), 1).add(fullNetRegTerm);
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, column);
        });
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            return;
        }
        this.gradient = backpropGradient(null, workspaceMgr).getFirst();
        computeScore(calcRegularizationScore(true), true, workspaceMgr);
    }

    @Override
    public void clear() {
        super.clear();
        labels = null;
        featuresMask.clear();
        lossMemo = null;
    }

    @Override
    public Layer clone() {
        CtcOutputLayerImpl copy = new CtcOutputLayerImpl(conf, dataType);
        Map<String, INDArray> paramsCopy = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            paramsCopy.put(e.getKey(), e.getValue().dup());
        }
        copy.setParamTable(paramsCopy);
        copy.setIndex(index);
        copy.setListeners(trainingListeners);
        return copy;
    }

    /** Number of classes, the blank included. */
    @Override
    public int numLabels() {
        return (int) layerConf().getNOut();
    }

    @Override
    public double f1Score(DataSet data) {
        throw notAClassifier("f1Score");
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw notAClassifier("f1Score");
    }

    @Override
    public int[] predict(INDArray examples) {
        throw notAClassifier("predict");
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw notAClassifier("predict");
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw notAClassifier("fit");
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw notAClassifier("fit");
    }

    @Override
    public void fit(DataSet data) {
        throw notAClassifier("fit");
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw notAClassifier("fit");
    }

    @Override
    public void fit(INDArray data, LayerWorkspaceMgr workspaceMgr) {
        throw notAClassifier("fit");
    }

    private UnsupportedOperationException notAClassifier(String method) {
        return new UnsupportedOperationException(method + " is not supported by CtcOutputLayer: a CTC output is a"
                + " sequence of per-frame distributions, not one class per example; train the network and decode"
                + " its output() with a CTC decoder " + layerId());
    }

    /**
     * Runs one step of the current minibatch. DL4J clears a layer's masks only after a call that succeeds, so after
     * an exception (bad labels, say) the layer would still hold that call's features and labels masks and apply them
     * to the next call that brings none (measured: {@code output(x)} after a refused {@code score} zeroed the frames
     * the refused call's features mask had marked as padding). A failed step therefore ends the minibatch.
     */
    private <T> T endingTheMinibatchOnFailure(Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            maskArray = null;
            featuresMask.clear();
            lossMemo = null;
            throw e;
        }
    }

    /**
     * The reduced loss and its gradient with respect to the logits, {@code [N, T, C]}; the gradient in working
     * memory of the layer's workspace (in FLOAT and DOUBLE networks), which costs nothing after the first
     * iteration where a fresh array costs its size in page faults (~0.5 ms per MB).
     */
    private CtcResult lossAndGradient(Frames frames, LayerWorkspaceMgr workspaceMgr) {
        CtcTargetBatch batch = targetBatch(frames);
        INDArray logits = frames.logits3d(layerConf().getNOut());
        CtcOptions options = ctcOptions(layerConf().getReduction());
        DataType type = logits.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            return Ctc.lossAndGradientFromLogits(logits, batch.targets(), batch.inputLengths(), batch.targetLengths(),
                    options);
        }
        INDArray gradient = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, logits.shape(), 'c');
        return Ctc.lossAndGradientFromLogits(logits, batch.targets(), batch.inputLengths(), batch.targetLengths(),
                options, gradient);
    }

    /** The loss with the given reduction: a scalar for MEAN/SUM, {@code [N]} for NONE. */
    private INDArray lossPerReduction(boolean training, LayerWorkspaceMgr workspaceMgr, CtcReduction reduction) {
        applyDropOutIfNecessary(training, workspaceMgr);
        Frames frames = frames(training, workspaceMgr, ArrayType.FF_WORKING_MEM);
        CtcTargetBatch batch = targetBatch(frames);
        // From the logits: ND4J's LogSoftMax op is log(softmax), -inf (so an infinite score) once a class falls
        // ~103 below its frame's best in float32, which confident networks reach.
        return Ctc.lossFromLogits(frames.logits3d(layerConf().getNOut()), batch.targets(), batch.inputLengths(),
                batch.targetLengths(), ctcOptions(reduction));
    }

    private CtcTargetBatch targetBatch(Frames frames) {
        CtcOutputLayer c = layerConf();
        return CtcTargetBatch.of(labels, maskArray, featuresMask.get(), frames.n, frames.t, c.getNOut(),
                c.getBlankIndex(), layerId());
    }

    private CtcOptions ctcOptions(CtcReduction reduction) {
        CtcOutputLayer c = layerConf();
        return CtcOptions.builder().blank(c.getBlankIndex()).reduction(reduction).zeroInfinity(c.isZeroInfinity())
                .layout(CtcLayout.NTC).build();
    }

    /**
     * The input as a matrix of frames ({@link Frames#features}) and the logits {@code xW + b} ({@code [N*T, C]},
     * row {@code n*T + t}), in working memory of the given type.
     */
    private Frames frames(boolean training, LayerWorkspaceMgr workspaceMgr, ArrayType workingMemory) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("input: got shape " + Arrays.toString(input.shape())
                    + ", expected rank 3 recurrent activations " + formatShape("nIn") + " " + layerId());
        }
        boolean ncw = layerConf().effectiveDataFormat() == RNNFormat.NCW;
        INDArray ntc = ncw ? input.permute(0, 2, 1) : input;
        long n = ntc.size(0);
        long t = ntc.size(1);
        long nIn = layerConf().getNIn();
        if (ntc.size(2) != nIn) {
            throw new IllegalArgumentException("input: got shape " + Arrays.toString(input.shape()) + ", expected "
                    + formatShape("nIn") + " with nIn = " + nIn + " " + layerId());
        }
        INDArray weights = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray bias = getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr);
        INDArray features = ncw
                ? columnsOf(input, weights.dataType(), workingMemory, workspaceMgr).reshape('c', nIn, n * t)
                : rowsOf(ntc, weights.dataType(), workingMemory, workspaceMgr).reshape('c', n * t, nIn);
        INDArray logits = workspaceMgr.createUninitialized(workingMemory, weights.dataType(),
                new long[]{n * t, weights.size(1)}, 'c');
        // Nd4j.gemm, not rows.mmuli(weights, logits): the latter took twice as long at 6400x256 times 256x5000
        // (JFR, CtcLayerStepBenchmark).
        Nd4j.gemm(features, weights, logits, ncw, false, 1.0, 0.0);
        logits.addiRowVector(bias);
        return new Frames(n, t, features, ncw, logits, weights);
    }

    /**
     * NWC input {@code [N, T, nIn]} packed in c order and typed as the weights: the input itself when it already
     * is (of the weights' type, a view of nothing larger), else a copy in working memory.
     */
    private static INDArray rowsOf(INDArray ntc, DataType type, ArrayType workingMemory,
                                   LayerWorkspaceMgr workspaceMgr) {
        if (ntc.dataType() == type && HostValues.isPackedCOrder(ntc)) {
            return ntc;   // read only (products), and the input outlives the step
        }
        return workspaceMgr.dup(workingMemory, ntc.castTo(type), 'c');
    }

    /**
     * NCW input {@code [N, nIn, T]} as {@code [nIn, N, T]} in c order, typed as the weights, in working memory: each
     * sample's feature rows move in runs of T values.
     */
    private static INDArray columnsOf(INDArray ncw, DataType type, ArrayType workingMemory,
                                      LayerWorkspaceMgr workspaceMgr) {
        INDArray columns = workspaceMgr.createUninitialized(workingMemory, type,
                new long[]{ncw.size(1), ncw.size(0), ncw.size(2)}, 'c');
        return columns.assign(ncw.castTo(type).permute(1, 0, 2));
    }

    /** Copies {@code [N, T, X]} into a new array of the given type in the layer's data format. */
    private INDArray toLayerFormat(INDArray ntx, ArrayType arrayType, LayerWorkspaceMgr workspaceMgr) {
        INDArray inFormat = layerConf().effectiveDataFormat() == RNNFormat.NCW ? ntx.permute(0, 2, 1) : ntx;
        INDArray out = workspaceMgr.createUninitialized(arrayType, ntx.dataType(), inFormat.shape(), 'c');
        return out.assign(inFormat);
    }

    private String formatShape(String size) {
        return layerConf().effectiveDataFormat() == RNNFormat.NCW ? "[N, " + size + ", T]" : "[N, T, " + size + "]";
    }

    private void assertLabelsSet() {
        if (labels == null) {
            throw new IllegalStateException("Cannot compute the CTC loss without labels " + layerId());
        }
    }

    /**
     * One minibatch's frames: the input as a matrix of frames, logits {@code [N*T, C]} (row {@code n*T + t}) and
     * the weights used.
     */
    private static final class Frames {
        final long n;
        final long t;
        /** The input: {@code [N*T, nIn]} (a row per frame) or, when {@link #columns}, {@code [nIn, N*T]}. */
        final INDArray features;
        /** Whether {@link #features} holds a column per frame (NCW input). */
        final boolean columns;
        final INDArray logits;
        final INDArray weights;

        Frames(long n, long t, INDArray features, boolean columns, INDArray logits, INDArray weights) {
            this.n = n;
            this.t = t;
            this.features = features;
            this.columns = columns;
            this.logits = logits;
            this.weights = weights;
        }

        INDArray logits3d(long numClasses) {
            return logits.reshape('c', n, t, numClasses);
        }
    }

    /**
     * The reduced loss computed with the gradient in {@link #backpropGradient}. DL4J asks for the score right after
     * the gradient of the same minibatch; reusing the loss saves a second pass of the CTC forward recursion. It is
     * only reused for the very same input, labels and masks (same arrays), and only once.
     */
    private static final class LossMemo {
        final double loss;
        private final INDArray input;
        private final INDArray labels;
        private final INDArray labelsMask;
        private final INDArray featuresMask;

        LossMemo(double loss, INDArray input, INDArray labels, INDArray labelsMask, INDArray featuresMask) {
            this.loss = loss;
            this.input = input;
            this.labels = labels;
            this.labelsMask = labelsMask;
            this.featuresMask = featuresMask;
        }

        boolean isFor(INDArray input, INDArray labels, INDArray labelsMask, INDArray featuresMask) {
            return this.input == input && this.labels == labels && this.labelsMask == labelsMask
                    && this.featuresMask == featuresMask;
        }
    }
}
