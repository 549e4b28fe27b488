package io.github.dl4jctc.layer;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runtime half of {@link CtcSameDiffOutputLayer}: DL4J's {@link SameDiffOutputLayer} with four changes that the
 * layer's contract needs, each at the point where DL4J hands the layer its data:
 * <ul>
 *   <li>the graph's placeholders leave T and S open ({@code [-1, nIn, -1]}, {@code [-1, -1]}), where DL4J's fix
 *   them to the first minibatch's;</li>
 *   <li>the labels (and labels mask, if any) are checked before every score and gradient, so that a labels array
 *   not padded with -1 after its targets is refused, not misread as shorter targets;</li>
 *   <li>a features mask with a 0 is refused in {@link #feedForwardMaskArray}: the graph cannot see masks;</li>
 *   <li>{@code computeScoreForExamples} (which DL4J's throws) runs the graph's per-example losses, and the score
 *   adds the regularisation term undivided, as DL4J's other output layers do;</li>
 *   <li>the regularisation score of W and b is computed ({@code calcRegularizationScore}, which DL4J's layer leaves
 *   at 0 although the updater applies the regularisation to the gradients);</li>
 *   <li>{@code setParam} assigns the values (DL4J's checks the shape and keeps the old values).</li>
 * </ul>
 * A refused minibatch leaves no labels mask behind in the layer: DL4J clears masks only after a call that succeeds.
 */
public class CtcSameDiffOutputLayerImpl extends SameDiffOutputLayer {

    public CtcSameDiffOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private CtcSameDiffOutputLayer ctcConf() {
        return (CtcSameDiffOutputLayer) conf().getLayer();
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        if (maskArray != null && maskArray.minNumber().doubleValue() != 1.0) {
            throw new IllegalArgumentException("features mask: got a 0 in " + Arrays.toString(maskArray.shape())
                    + ", expected none: CtcSameDiffOutputLayer needs all T frames of every input (DL4J hands no"
                    + " masks to a SameDiff output layer's graph); use CtcOutputLayer for ragged inputs "
                    + layerId());
        }
        // Not kept as the layer's mask (DL4J's AbstractLayer would): the layer's mask is the labels mask.
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        checkInputAndLabels();
        return super.backpropGradient(epsilon, workspaceMgr);
    }

    /** The reduced CTC loss plus {@code fullNetRegTerm}. */
    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        checkInputAndLabels();
        // DL4J's divides (graph output + regularisation) by N; the graph's output is N times the reduced loss.
        return super.computeScore(fullNetRegTerm * input.size(0), training, workspaceMgr);
    }

    /** Each example's negative log-likelihood plus {@code fullNetRegTerm}, {@code [N, 1]}. */
    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        checkInputAndLabels();
        INDArray perExample;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
            InferenceSession session = sameDiff.getSessions().get(Thread.currentThread().getId());
            if (session == null) {
                session = SameDiff.getInferenceFactory().create(sameDiff);
                sameDiff.getSessions().put(Thread.currentThread().getId(), session);
            }
            // Plain memory outside DL4J's workspaces: the graph's arrays for this call only.
            session.setMmgr(new org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr());
            Map<String, INDArray> placeholders = new HashMap<>();
            placeholders.put(INPUT_KEY, input);
            placeholders.put(LABELS_KEY, labels);
            perExample = sameDiff.outputSingle(placeholders, CtcSameDiffOutputLayer.PER_EXAMPLE).dup();
            sameDiff.clearPlaceholders(true);
            sameDiff.clearOpInputs();
        }
        INDArray column = perExample.castTo(dataType).reshape(perExample.length(), 1).add(fullNetRegTerm);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, column);
    }

    /** DL4J's graph set-up with T and S left open in the placeholders. */
    @Override
    protected void doInit() {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            CtcSameDiffOutputLayer c = ctcConf();
            sameDiff = SameDiff.create();
            sameDiff.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
            boolean ncw = c.getRnnDataFormat() == org.deeplearning4j.nn.conf.RNNFormat.NCW;
            SDVariable inputVar = sameDiff.placeHolder(INPUT_KEY, dataType,
                    ncw ? new long[]{-1, c.getNIn(), -1} : new long[]{-1, -1, c.getNIn()});
            SDVariable labelVar = sameDiff.placeHolder(LABELS_KEY, dataType, -1, -1);
            Map<String, SDVariable> params = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : c.getLayerParams().getParamShapes().entrySet()) {
                params.put(e.getKey(), sameDiff.var(e.getKey(), dataType, e.getValue()));
            }
            outputVar = c.defineLayer(sameDiff, inputVar, labelVar, params);
            // The graph has other outputs (probabilities, per-example losses): name the one to differentiate.
            sameDiff.setLossVariables(outputVar.name());
            for (Map.Entry<String, INDArray> e : paramTable().entrySet()) {
                sameDiff.associateArrayWithVariable(e.getValue(), sameDiff.getVariable(e.getKey()));
            }
            outputKey = outputVar.name();
        }
    }

    @Override
    public void setParam(String key, INDArray val) {
        super.setParam(key, val);   // unknown key or wrong shape: IllegalArgumentException
        getParam(key).assign(val);
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        double sum = 0.0;
        for (Map.Entry<String, INDArray> e : paramTable().entrySet()) {
            List<Regularization> regularizations = ctcConf().getRegularizationByParam(e.getKey());
            if (regularizations != null) {
                for (Regularization r : regularizations) {
                    sum += r.score(e.getValue(), getIterationCount(), getEpochCount());
                }
            }
        }
        return sum;
    }

    /**
     * Checks the input shape, the labels' -1 padding and the labels mask (if any) before the graph sees them; a
     * refusal drops the labels mask, which DL4J would otherwise leave for the next minibatch.
     *
     * @throws IllegalArgumentException naming example, position and value of the first offending entry
     */
    private void checkInputAndLabels() {
        try {
            checkInputAndLabelsOrThrow();
        } catch (RuntimeException e) {
            maskArray = null;
            throw e;
        }
    }

    private void checkInputAndLabelsOrThrow() {
        CtcSameDiffOutputLayer c = ctcConf();
        boolean ncw = c.getRnnDataFormat() == org.deeplearning4j.nn.conf.RNNFormat.NCW;
        if (input == null || input.rank() != 3 || input.size(ncw ? 1 : 2) != c.getNIn()) {
            throw new IllegalArgumentException("input: got shape " + (input == null ? null
                    : Arrays.toString(input.shape())) + ", expected " + (ncw ? "[N, nIn, T]" : "[N, T, nIn]")
                    + " with nIn = " + c.getNIn() + " " + layerId());
        }
        if (labels == null) {
            throw new IllegalStateException("Cannot compute the CTC loss without labels " + layerId());
        }
        long n = input.size(0);
        if (labels.rank() != 2 || labels.size(0) != n) {
            throw new IllegalArgumentException("labels: got shape " + Arrays.toString(labels.shape())
                    + ", expected [N, S] with N = " + n + ", each row a target followed by -1 padding " + layerId());
        }
        long s = labels.size(1);
        if (s == 0) {
            return;
        }
        double[][] rows = labels.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] mask = maskArray == null ? null : checkedMask(n, s);
        for (int i = 0; i < n; i++) {
            boolean padding = false;
            for (int j = 0; j < s; j++) {
                double v = rows[i][j];
                if (v == -1.0) {
                    padding = true;
                } else if (padding || v != Math.rint(v) || v < 0 || v >= c.getNOut() || v == c.getBlankIndex()) {
                    throw new IllegalArgumentException("labels: example " + i + ", position " + j + ": got " + v
                            + ", expected " + (padding ? "-1 (padding continues to the end of the row)"
                            : "an integer class index in [0, " + c.getNOut() + ") other than the blank "
                            + c.getBlankIndex() + ", or -1 to start the padding") + " " + layerId());
                }
                if (mask != null && mask[i][j] != (padding ? 0.0 : 1.0)) {
                    throw new IllegalArgumentException("labels mask: example " + i + ", position " + j + ": got "
                            + mask[i][j] + ", expected " + (padding ? 0 : 1) + " (the mask must mark exactly the"
                            + " labels that are not -1) " + layerId());
                }
            }
        }
    }

    private double[][] checkedMask(long n, long s) {
        if (maskArray.rank() != 2 || maskArray.size(0) != n || maskArray.size(1) != s) {
            throw new IllegalArgumentException("labels mask: got shape " + Arrays.toString(maskArray.shape())
                    + ", expected [N, S] = [" + n + ", " + s + "] " + layerId());
        }
        return maskArray.castTo(DataType.DOUBLE).toDoubleMatrix();
    }
}
