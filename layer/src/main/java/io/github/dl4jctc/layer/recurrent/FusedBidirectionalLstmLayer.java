package io.github.dl4jctc.layer.recurrent;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.github.dl4jctc.layer.recurrent.FusedBidirectionalLstm.BIAS_KEY;
import static io.github.dl4jctc.layer.recurrent.FusedBidirectionalLstm.INPUT_WEIGHT_KEY;
import static io.github.dl4jctc.layer.recurrent.FusedBidirectionalLstm.RECURRENT_WEIGHT_KEY;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * Runtime of {@link FusedBidirectionalLstm}: one {@code lstmLayer} call forward, one {@code lstmLayer_bp} call
 * backward, the features mask passed as {@code seqLen} (omitted when every sequence fills the minibatch). CONCAT and
 * MUL run the op's concatenating mode (MUL multiplies the halves), ADD and AVERAGE its summing mode.
 */
class FusedBidirectionalLstmLayer extends AbstractLayer<FusedBidirectionalLstm> {
    private INDArray params;
    private INDArray gradientsView;
    private Map<String, INDArray> paramTable;
    private Map<String, INDArray> gradTable;
    private Gradient gradient;
    /** Lengths of the minibatch being run, {@code null} without a mask or when all sequences fill it. */
    private INDArray seqLen;
    /** MUL: both directions' outputs, kept for backprop. */
    private INDArray bothDirections;

    FusedBidirectionalLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean nwc() {
        return layerConf().getDataFormat() == RNNFormat.NWC;
    }

    private int format() {
        return nwc() ? FusedLstmOps.NTS : FusedLstmOps.NST;
    }

    private int featureAxis() {
        return nwc() ? 2 : 1;
    }

    private int direction() {
        Bidirectional.Mode mode = layerConf().getMode();
        return mode == Bidirectional.Mode.CONCAT || mode == Bidirectional.Mode.MUL ? FusedLstmOps.BIDIR_CONCAT
                : FusedLstmOps.BIDIR_SUM;
    }

    /** Shape of an output with {@code features} features for the current input. */
    private long[] outputShape(long features) {
        long[] s = input.shape().clone();
        s[featureAxis()] = features;
        return s;
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        if (maskArray != null && maskArray.rank() == 2 && maskArray.size(0) != minibatchSize) {
            throw new IllegalArgumentException("featuresMask: got " + maskArray.size(0) + " rows, expected "
                    + minibatchSize + " (the minibatch size)");
        }
        return super.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
    }

    private void requireInput() {
        long nIn = layerConf().getNIn();
        if (input.rank() != 3 || input.size(featureAxis()) != nIn) {
            throw new IllegalArgumentException("input: got shape " + Arrays.toString(input.shape()) + ", expected "
                    + (nwc() ? "[N, T, " + nIn + "] (NWC)" : "[N, " + nIn + ", T] (NCW)"));
        }
    }

    /** Reads and checks the mask: the op's seqLen, or null when no sequence is shorter than the minibatch. */
    private INDArray sequenceLengths() {
        if (maskArray == null) {
            return null;
        }
        SequenceLengths lengths = SequenceLengths.fromMask(maskArray);
        lengths.requireMatches(nwc() ? input.permute(0, 2, 1) : input, "input");
        return lengths.isFull() ? null : lengths.toArray();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        requireInput();
        applyDropOutIfNecessary(training, workspaceMgr);
        seqLen = sequenceLengths();
        FusedBidirectionalLstm conf = layerConf();
        long nOut = conf.getNOut();
        int direction = direction();
        INDArray h = workspaceMgr.create(ArrayType.ACTIVATIONS, input.dataType(),
                outputShape(direction == FusedLstmOps.BIDIR_CONCAT ? 2 * nOut : nOut), 'c');
        FusedLstmOps.forward(input, paramTable.get(INPUT_WEIGHT_KEY), paramTable.get(RECURRENT_WEIGHT_KEY),
                paramTable.get(BIAS_KEY), seqLen, format(), direction,
                FusedLstmOps.activationCode(conf.getActivation()), h);
        switch (conf.getMode()) {
            case CONCAT:
            case ADD:
                return h;
            case AVERAGE:
                return h.muli(0.5);
            case MUL:
                bothDirections = h;
                return workspaceMgr.dup(ArrayType.ACTIVATIONS, half(h, 0)).muli(half(h, 1));
            default:
                throw new IllegalStateException("mode: got " + conf.getMode() + ", expected CONCAT, ADD, MUL or AVERAGE");
        }
    }

    /** Direction {@code d} (0 forward, 1 backward) of a concatenated output. */
    private INDArray half(INDArray concatenated, int d) {
        long nOut = layerConf().getNOut();
        return nwc() ? concatenated.get(all(), all(), interval(d * nOut, (d + 1) * nOut))
                : concatenated.get(all(), interval(d * nOut, (d + 1) * nOut), all());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        FusedBidirectionalLstm conf = layerConf();
        long[] expected = outputShape(conf.outputSize());
        if (!Arrays.equals(epsilon.shape(), expected)) {
            throw new IllegalArgumentException("epsilon: got shape " + Arrays.toString(epsilon.shape())
                    + ", expected " + Arrays.toString(expected) + " (the layer's output shape)");
        }
        INDArray dLdh;
        switch (conf.getMode()) {
            case CONCAT:
            case ADD:
                dLdh = epsilon;
                break;
            case AVERAGE:
                dLdh = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, epsilon).muli(0.5);
                break;
            case MUL:
                dLdh = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, epsilon.dataType(),
                        outputShape(2 * conf.getNOut()), 'c');
                half(dLdh, 0).assign(epsilon).muli(half(bothDirections, 1));
                half(dLdh, 1).assign(epsilon).muli(half(bothDirections, 0));
                break;
            default:
                throw new IllegalStateException("mode: got " + conf.getMode() + ", expected CONCAT, ADD, MUL or AVERAGE");
        }
        INDArray dx = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        INDArray dSeqLen = seqLen == null ? null
                : workspaceMgr.create(ArrayType.BP_WORKING_MEM, input.dataType(), seqLen.length());
        FusedLstmOps.backward(input, paramTable.get(INPUT_WEIGHT_KEY), paramTable.get(RECURRENT_WEIGHT_KEY),
                paramTable.get(BIAS_KEY), seqLen, format(), direction(),
                FusedLstmOps.activationCode(conf.getActivation()), dLdh, dx, gradTable.get(INPUT_WEIGHT_KEY),
                gradTable.get(RECURRENT_WEIGHT_KEY), gradTable.get(BIAS_KEY), dSeqLen);

        Gradient g = new DefaultGradient(gradientsView);
        for (String key : conf.getLayerParams().getParameterKeys()) {
            g.gradientForVariable().put(key, gradTable.get(key));
        }
        this.gradient = g;
        return new Pair<>(g, backpropDropOutIfPresent(dx));
    }

    @Override
    public Gradient gradient() {
        return gradient;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // No weight noise: parameters are used as they are.
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        double sum = 0.0;
        for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
            List<Regularization> regs = layerConf().getRegularizationByParam(e.getKey());
            if (regs != null) {
                for (Regularization r : regs) {
                    sum += r.score(e.getValue(), getIterationCount(), getEpochCount());
                }
            }
        }
        return sum;
    }

    @Override
    public INDArray params() {
        return params;
    }

    @Override
    public long numParams() {
        return params == null ? 0 : params.length();
    }

    @Override
    public INDArray getParam(String param) {
        return paramTable.get(param);
    }

    @Override
    public void setParam(String key, INDArray val) {
        INDArray current = paramTable.get(key);
        if (current == null) {
            throw new IllegalArgumentException("key: got \"" + key + "\", expected one of " + paramTable.keySet());
        }
        if (!Arrays.equals(current.shape(), val.shape())) {
            throw new IllegalArgumentException("val: got shape " + Arrays.toString(val.shape()) + " for \"" + key
                    + "\", expected " + Arrays.toString(current.shape()));
        }
        current.assign(val);
    }

    @Override
    public void setParams(INDArray params) {
        if (params.length() != this.params.length()) {
            throw new IllegalArgumentException("params: got " + params.length() + " values, expected "
                    + this.params.length());
        }
        this.params.assign(params.reshape(this.params.shape()));
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        this.params = params;
    }

    @Override
    public INDArray getGradientsViewArray() {
        return gradientsView;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        this.gradientsView = gradients;
        this.gradTable = layerConf().initializer().getGradientsFromFlattened(conf, gradients);
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        if (this.paramTable == null) {
            this.paramTable = paramTable;
        } else {
            for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
                setParam(e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public Map<String, INDArray> paramTable(boolean backpropParamsOnly) {
        return paramTable;
    }

    @Override
    public void clear() {
        super.clear();
        seqLen = null;
        bothDirections = null;
    }
}
