package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.Ctc;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import io.github.dl4jctc.ops.CtcReduction;
import io.github.dl4jctc.ops.CtcResult;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.function.Supplier;

/**
 * The CTC half of a DL4J output layer, shared by {@link CtcOutputLayerImpl} (projection + CTC) and
 * {@link CtcLossLayerImpl} (CTC on the input): labels, the two masks, the loss and its gradient with respect to the
 * logits, score, per-example scores, the probabilities output and DL4J's output-layer plumbing. A subclass says
 * where the logits {@code [N, T, C]} come from and what the gradient with respect to them becomes (parameter
 * gradients, epsilon).
 * <p>
 * Why not an {@code ILossFunction} on DL4J's {@code BaseOutputLayer}: {@code ILossFunction} computes a loss from
 * labels and pre-output of one shape, with a mask that weights each output element; CTC needs labels {@code [N, S]}
 * of another length than the output {@code [N, C, T]}, two masks (input lengths and target lengths, which DL4J hands
 * to the output layer through different calls) and a score that is not a sum of per-element terms. The layer holds
 * the masks itself and computes the loss with the op.
 * <p>
 * Score and gradient follow DL4J's convention for output layers: the score reported is PyTorch's
 * {@code ctc_loss(reduction)} plus regularisation, and the gradient handed back is the gradient of that loss
 * multiplied by the minibatch size when the network divides gradients by it ({@code miniBatch(true)}, the default),
 * so that the update DL4J applies is the gradient of the reported score.
 * <p>
 * Two masks are kept apart: the features mask {@code [N, T]} arrives through {@link #feedForwardMaskArray} and
 * gives the input lengths; the labels mask {@code [N, S]} arrives through {@link #setMaskArray} and gives the target
 * lengths.
 */
abstract class CtcLayerRuntime<C extends FeedForwardLayer & CtcLayerSettings> extends BaseLayer<C>
        implements IOutputLayer {

    private INDArray labels;
    /** Input lengths, see {@link FeaturesMaskHolder}; the labels mask is AbstractLayer's {@code maskArray}. */
    private final FeaturesMaskHolder featuresMask = new FeaturesMaskHolder();
    /** Reduced loss of the last backprop, reused by the {@code computeScore} that follows it, see {@link LossMemo}. */
    private transient LossMemo lossMemo;

    CtcLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * The logits of the current input, {@code [N, T, C]} (c order or a view); read only by the caller.
     *
     * @param workingMemory the workspace array type for anything computed
     */
    abstract INDArray logits(boolean training, LayerWorkspaceMgr workspaceMgr, ArrayType workingMemory);

    /**
     * Per-frame class probabilities of the current input in the layer's format, a new array of type ACTIVATIONS
     * (padding frames are zeroed by the caller).
     */
    abstract INDArray probabilities(boolean training, LayerWorkspaceMgr workspaceMgr);

    /** The number of classes C of the current input, the blank included. */
    abstract long numClasses();

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
            INDArray probabilities = probabilities(training, workspaceMgr);
            INDArray mask = featuresMask.get();
            if (mask != null) {
                boolean ncw = isNcw();
                long n = probabilities.size(0);
                long t = probabilities.size(ncw ? 2 : 1);
                // Padding frames are set to 0, not multiplied by the mask: garbage there (NaN, inf) would survive.
                int[] lengths = CtcTargetBatch.inputLengths(mask, n, t, layerId());
                for (int i = 0; i < lengths.length; i++) {
                    if (lengths[i] < t) {
                        INDArrayIndex padding = NDArrayIndex.interval(lengths[i], t);
                        probabilities.get(NDArrayIndex.point(i), ncw ? NDArrayIndex.all() : padding,
                                ncw ? padding : NDArrayIndex.all()).assign(0.0);
                    }
                }
            }
            return probabilities;
        });
    }

    /**
     * The loss of the current minibatch and its gradient with respect to {@code logits} (the layer's reduction),
     * written into {@code gradient}; the loss is kept for the {@code computeScore} that follows.
     *
     * @param logits   {@code [N, T, C]}
     * @param gradient {@code [N, T, C]} c order, FLOAT or DOUBLE, or null for a new array (other data types)
     */
    final CtcResult lossAndGradient(INDArray logits, INDArray gradient) {
        return lossAndGradient(logits, gradient, 1.0);
    }

    /** As above, the gradient written into {@code gradient} times {@code gradientScale} by the op itself. */
    final CtcResult lossAndGradient(INDArray logits, INDArray gradient, double gradientScale) {
        assertLabelsSet();
        CtcTargetBatch batch = targetBatch(logits);
        CtcOptions options = ctcOptions(layerConf().getReduction());
        CtcResult result = gradient == null
                ? Ctc.lossAndGradientFromLogits(logits, batch.targets(), batch.inputLengths(), batch.targetLengths(),
                        options)
                : Ctc.lossAndGradientFromLogits(logits, batch.targets(), batch.inputLengths(), batch.targetLengths(),
                        options, gradient, gradientScale);
        lossMemo = new LossMemo(result.loss().getDouble(0), input, labels, maskArray, featuresMask.get());
        return result;
    }

    /** Whether {@link #lossAndGradient} can write into an array of this type (else it returns a new one). */
    static boolean writesGradientInto(DataType type) {
        return type == DataType.FLOAT || type == DataType.DOUBLE;
    }

    /**
     * The factor of the gradient handed to DL4J: DL4J divides every gradient by the minibatch size before the
     * update, so the layer multiplies by it for the update to be the gradient of the reduced loss it reports.
     */
    final double minibatchScale(long n) {
        return conf().isMiniBatch() ? n : 1.0;
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

    /** Number of classes, the blank included. */
    @Override
    public int numLabels() {
        return Math.toIntExact(numClasses());
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
        return new UnsupportedOperationException(method + " is not supported by "
                + layerConf().getClass().getSimpleName() + ": a CTC output is a sequence of per-frame distributions,"
                + " not one class per example; train the network and decode its output() with a CTC decoder "
                + layerId());
    }

    /**
     * Runs one step of the current minibatch. DL4J clears a layer's masks only after a call that succeeds, so after
     * an exception (bad labels, say) the layer would still hold that call's features and labels masks and apply them
     * to the next call that brings none (measured: {@code output(x)} after a refused {@code score} zeroed the frames
     * the refused call's features mask had marked as padding). A failed step therefore ends the minibatch.
     */
    final <T> T endingTheMinibatchOnFailure(Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            maskArray = null;
            featuresMask.clear();
            lossMemo = null;
            throw e;
        }
    }

    /** The loss with the given reduction: a scalar for MEAN/SUM, {@code [N]} for NONE. */
    private INDArray lossPerReduction(boolean training, LayerWorkspaceMgr workspaceMgr, CtcReduction reduction) {
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray logits = logits(training, workspaceMgr, ArrayType.FF_WORKING_MEM);
        CtcTargetBatch batch = targetBatch(logits);
        // From the logits: ND4J's LogSoftMax op is log(softmax), -inf (so an infinite score) once a class falls
        // ~103 below its frame's best in float32, which confident networks reach.
        return Ctc.lossFromLogits(logits, batch.targets(), batch.inputLengths(), batch.targetLengths(),
                ctcOptions(reduction));
    }

    private CtcTargetBatch targetBatch(INDArray logits) {
        C c = layerConf();
        return CtcTargetBatch.of(labels, maskArray, featuresMask.get(), logits.size(0), logits.size(1),
                logits.size(2), c.getBlankIndex(), layerId());
    }

    private CtcOptions ctcOptions(CtcReduction reduction) {
        C c = layerConf();
        return CtcOptions.builder().blank(c.getBlankIndex()).reduction(reduction).zeroInfinity(c.isZeroInfinity())
                .layout(CtcLayout.NTC).build();
    }

    final boolean isNcw() {
        return layerConf().getRnnDataFormat() == RNNFormat.NCW;
    }

    /** Copies {@code [N, T, X]} into a new array of the given type in the layer's data format. */
    final INDArray toLayerFormat(INDArray ntx, ArrayType arrayType, LayerWorkspaceMgr workspaceMgr) {
        INDArray inFormat = isNcw() ? ntx.permute(0, 2, 1) : ntx;
        INDArray out = workspaceMgr.createUninitialized(arrayType, ntx.dataType(), inFormat.shape(), 'c');
        return out.assign(inFormat);
    }

    /** The layer's input shape with {@code size} on the feature axis, e.g. {@code [N, nIn, T]}, for messages. */
    final String formatShape(String size) {
        return isNcw() ? "[N, " + size + ", T]" : "[N, T, " + size + "]";
    }

    private void assertLabelsSet() {
        if (labels == null) {
            throw new IllegalStateException("Cannot compute the CTC loss without labels " + layerId());
        }
    }

    /**
     * The reduced loss computed with the gradient in {@code backpropGradient}. DL4J asks for the score right after
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
