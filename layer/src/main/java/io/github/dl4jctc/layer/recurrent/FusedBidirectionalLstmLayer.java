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
 * Runtime of {@link FusedBidirectionalLstm}. Without a mask, or when every sequence fills the minibatch, both
 * directions run in one {@code lstmLayer} call (and one {@code lstmLayer_bp} call backward). With ragged lengths
 * each direction runs as one batched forward-only call, the backward direction on the sequences reversed within
 * their lengths (as {@link MaskedBidirectional} does), or, with {@link FusedBidirectionalLstm#isOpSequenceLengths()},
 * both in one call with the lengths as the op's {@code seqLen} input (libnd4j then loops over the samples). CONCAT
 * and MUL use the op's concatenating mode, ADD and AVERAGE its summing mode.
 */
class FusedBidirectionalLstmLayer extends AbstractLayer<FusedBidirectionalLstm> {
    private INDArray params;
    private INDArray gradientsView;
    private Map<String, INDArray> paramTable;
    private Map<String, INDArray> gradTable;
    private Gradient gradient;
    /** Lengths of the minibatch being run, {@code null} without a mask or when all sequences fill it. */
    private SequenceLengths lengths;
    /** The op's seqLen input: the lengths when they go to the op, else {@code null}. */
    private INDArray seqLen;
    /** MUL: the two directions' outputs, kept for backprop. */
    private INDArray forwardOut;
    private INDArray backwardOut;

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

    /** Reads and checks the mask: the lengths, or null when no sequence is shorter than the minibatch. */
    private SequenceLengths raggedLengths() {
        if (maskArray == null) {
            return null;
        }
        SequenceLengths lengths = SequenceLengths.fromMask(maskArray);
        lengths.requireMatches(toNcw(input), "input");
        return lengths.isFull() ? null : lengths;
    }

    private INDArray toNcw(INDArray a) {
        return nwc() ? a.permute(0, 2, 1) : a;
    }

    private INDArray fromNcw(INDArray a) {
        return nwc() ? a.permute(0, 2, 1) : a;
    }

    /** Reverses each sequence of {@code a} (in the layer's format) within its length. */
    private INDArray reverse(INDArray a, LayerWorkspaceMgr mgr, ArrayType type) {
        return fromNcw(lengths.reverse(toNcw(a), mgr, type));
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        requireInput();
        applyDropOutIfNecessary(training, workspaceMgr);
        lengths = raggedLengths();
        seqLen = lengths != null && layerConf().isOpSequenceLengths() ? lengths.toArray() : null;
        return lengths != null && seqLen == null ? activateByDirection(workspaceMgr)
                : activateBidirectional(workspaceMgr);
    }

    /** Both directions in one op call; ragged lengths, if any, as the op's seqLen. */
    private INDArray activateBidirectional(LayerWorkspaceMgr workspaceMgr) {
        FusedBidirectionalLstm conf = layerConf();
        long nOut = conf.getNOut();
        int direction = direction();
        INDArray h = workspaceMgr.create(ArrayType.ACTIVATIONS, input.dataType(),
                outputShape(direction == FusedLstmOps.BIDIR_CONCAT ? 2 * nOut : nOut), 'c');
        FusedLstmOps.forward(input, paramTable.get(INPUT_WEIGHT_KEY), paramTable.get(RECURRENT_WEIGHT_KEY),
                paramTable.get(BIAS_KEY), seqLen, format(), direction, activationCode(), h);
        switch (conf.getMode()) {
            case CONCAT:
            case ADD:
                return h;
            case AVERAGE:
                return h.muli(0.5);
            case MUL:
                forwardOut = half(h, 0);
                backwardOut = half(h, 1);
                return workspaceMgr.dup(ArrayType.ACTIVATIONS, forwardOut).muli(backwardOut);
            default:
                throw new IllegalStateException("mode: got " + conf.getMode() + ", expected CONCAT, ADD, MUL or AVERAGE");
        }
    }

    /**
     * Each direction as one batched forward-only op call over the whole padded minibatch, the backward direction on
     * the sequences reversed within their lengths: padding comes after every valid step in both, so it cannot reach
     * a valid step; outputs at padded steps are then zeroed.
     */
    private INDArray activateByDirection(LayerWorkspaceMgr workspaceMgr) {
        FusedBidirectionalLstm conf = layerConf();
        long nOut = conf.getNOut();
        // CONCAT copies both directions into its output; the other modes build their output on hF, and MUL keeps
        // hB for backprop.
        Bidirectional.Mode mode = conf.getMode();
        ArrayType forwardType = mode == Bidirectional.Mode.CONCAT ? ArrayType.FF_WORKING_MEM : ArrayType.ACTIVATIONS;
        ArrayType backwardType = mode == Bidirectional.Mode.MUL ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;
        INDArray hF = workspaceMgr.create(forwardType, input.dataType(), outputShape(nOut), 'c');
        INDArray hBReversed = workspaceMgr.create(ArrayType.FF_WORKING_MEM, input.dataType(), outputShape(nOut), 'c');
        FusedLstmOps.forward(input, direction(INPUT_WEIGHT_KEY, params, 0), direction(RECURRENT_WEIGHT_KEY, params, 0),
                direction(BIAS_KEY, params, 0), null, format(), FusedLstmOps.FWD, activationCode(), hF);
        FusedLstmOps.forward(reverse(input, workspaceMgr, ArrayType.FF_WORKING_MEM),
                direction(INPUT_WEIGHT_KEY, params, 1), direction(RECURRENT_WEIGHT_KEY, params, 1),
                direction(BIAS_KEY, params, 1), null, format(), FusedLstmOps.FWD, activationCode(), hBReversed);
        INDArray hB = reverse(hBReversed, workspaceMgr, backwardType);
        INDArray out;
        switch (mode) {
            case CONCAT:
                out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(),
                        outputShape(2 * nOut), 'c');
                half(out, 0).assign(hF);
                half(out, 1).assign(hB);
                break;
            case ADD:
                out = hF.addi(hB);
                break;
            case AVERAGE:
                out = hF.addi(hB).muli(0.5);
                break;
            case MUL:
                forwardOut = hF;
                backwardOut = hB;
                out = workspaceMgr.dup(ArrayType.ACTIVATIONS, hF).muli(hB);
                break;
            default:
                throw new IllegalStateException("mode: got " + conf.getMode() + ", expected CONCAT, ADD, MUL or AVERAGE");
        }
        SequenceLengths.applyMask(toNcw(out), maskArray);
        return out;
    }

    /** Direction {@code d} (0 forward, 1 backward) of a concatenated output. */
    private INDArray half(INDArray concatenated, int d) {
        long nOut = layerConf().getNOut();
        return nwc() ? concatenated.get(all(), all(), interval(d * nOut, (d + 1) * nOut))
                : concatenated.get(all(), interval(d * nOut, (d + 1) * nOut), all());
    }

    /**
     * Direction {@code d} of parameter {@code key} ({@code [nIn, 4*nOut]}, {@code [nOut, 4*nOut]} or
     * {@code [4*nOut]}) as a view of the layer's flat parameters or gradients {@code flat}. Taken from the flat
     * array rather than from the parameter table's {@code [2, ...]} views: a {@code get} on those can come back
     * without a data buffer in ND4J 1.0.0-M2.1.
     */
    private INDArray direction(String key, INDArray flat, int d) {
        long nIn = layerConf().getNIn();
        long nOut = layerConf().getNOut();
        long w = nIn * 4 * nOut;
        long rw = nOut * 4 * nOut;
        long b = 4 * nOut;
        long offset;
        long[] shape;
        switch (key) {
            case INPUT_WEIGHT_KEY:
                offset = d * w;
                shape = new long[]{nIn, 4 * nOut};
                break;
            case RECURRENT_WEIGHT_KEY:
                offset = 2 * w + d * rw;
                shape = new long[]{nOut, 4 * nOut};
                break;
            default:
                offset = 2 * w + 2 * rw + d * b;
                shape = new long[]{4 * nOut};
                break;
        }
        long length = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        return flat.reshape(flat.length()).get(interval(offset, offset + length)).reshape('c', shape);
    }

    private int activationCode() {
        return FusedLstmOps.activationCode(layerConf().getActivation());
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
        INDArray dx = lengths != null && seqLen == null ? backpropByDirection(epsilon, workspaceMgr)
                : backpropBidirectional(epsilon, workspaceMgr);
        Gradient g = new DefaultGradient(gradientsView);
        for (String key : conf.getLayerParams().getParameterKeys()) {
            g.gradientForVariable().put(key, gradTable.get(key));
        }
        this.gradient = g;
        return new Pair<>(g, backpropDropOutIfPresent(dx));
    }

    private INDArray backpropBidirectional(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        FusedBidirectionalLstm conf = layerConf();
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
                half(dLdh, 0).assign(epsilon).muli(backwardOut);
                half(dLdh, 1).assign(epsilon).muli(forwardOut);
                break;
            default:
                throw new IllegalStateException("mode: got " + conf.getMode() + ", expected CONCAT, ADD, MUL or AVERAGE");
        }
        INDArray dx = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        INDArray dSeqLen = seqLen == null ? null
                : workspaceMgr.create(ArrayType.BP_WORKING_MEM, input.dataType(), seqLen.length());
        FusedLstmOps.backward(input, paramTable.get(INPUT_WEIGHT_KEY), paramTable.get(RECURRENT_WEIGHT_KEY),
                paramTable.get(BIAS_KEY), seqLen, format(), direction(), activationCode(), dLdh, dx,
                gradTable.get(INPUT_WEIGHT_KEY), gradTable.get(RECURRENT_WEIGHT_KEY), gradTable.get(BIAS_KEY),
                dSeqLen);
        return dx;
    }

    /**
     * The gradient of {@link #activateByDirection}: the incoming gradient at padded steps is dropped (those
     * outputs are zeroed whatever the parameters), so the steps after each length, which follow every valid step
     * in both directions, pass nothing back.
     */
    private INDArray backpropByDirection(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        FusedBidirectionalLstm conf = layerConf();
        INDArray eps = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, epsilon, 'c');
        SequenceLengths.applyMask(toNcw(eps), maskArray);
        INDArray eF;
        INDArray eB;
        switch (conf.getMode()) {
            case CONCAT:
                eF = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, half(eps, 0), 'c');
                eB = half(eps, 1);
                break;
            case ADD:
                eF = eps;
                eB = eps;
                break;
            case AVERAGE:
                eF = eps.muli(0.5);
                eB = eF;
                break;
            case MUL:
                eF = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, eps).muli(backwardOut);
                eB = eps.muli(forwardOut);
                break;
            default:
                throw new IllegalStateException("mode: got " + conf.getMode() + ", expected CONCAT, ADD, MUL or AVERAGE");
        }
        INDArray dx = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        INDArray dxReversed = workspaceMgr.create(ArrayType.BP_WORKING_MEM, input.dataType(), input.shape(), 'c');
        FusedLstmOps.backward(input, direction(INPUT_WEIGHT_KEY, params, 0),
                direction(RECURRENT_WEIGHT_KEY, params, 0), direction(BIAS_KEY, params, 0), null, format(),
                FusedLstmOps.FWD, activationCode(), eF, dx, direction(INPUT_WEIGHT_KEY, gradientsView, 0),
                direction(RECURRENT_WEIGHT_KEY, gradientsView, 0), direction(BIAS_KEY, gradientsView, 0), null);
        FusedLstmOps.backward(reverse(input, workspaceMgr, ArrayType.BP_WORKING_MEM),
                direction(INPUT_WEIGHT_KEY, params, 1), direction(RECURRENT_WEIGHT_KEY, params, 1),
                direction(BIAS_KEY, params, 1), null, format(), FusedLstmOps.FWD, activationCode(),
                reverse(eB, workspaceMgr, ArrayType.BP_WORKING_MEM), dxReversed,
                direction(INPUT_WEIGHT_KEY, gradientsView, 1), direction(RECURRENT_WEIGHT_KEY, gradientsView, 1),
                direction(BIAS_KEY, gradientsView, 1), null);
        dx.addi(reverse(dxReversed, workspaceMgr, ArrayType.BP_WORKING_MEM));
        SequenceLengths.applyMask(toNcw(dx), maskArray);
        return dx;
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
        lengths = null;
        seqLen = null;
        forwardOut = null;
        backwardOut = null;
    }
}
