package io.github.dl4jctc.layer.recurrent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * Runtime of {@link MaskedBidirectional}. Works in NCW internally ({@code [N, C, T]} views of NWC arrays).
 * The backward direction's input, output and gradients are reversed within each sequence's length; the gradient
 * arriving at padded steps is zeroed before it enters either direction, so padded steps (which come after every
 * valid step in both directions) contribute nothing to parameter or input gradients.
 */
class MaskedBidirectionalLayer extends BidirectionalLayer {
    private final Layer fwd;
    private final Layer bwd;
    private INDArray input;
    private INDArray mask;
    private SequenceLengths lengths;
    /** MUL mode keeps both directions' outputs ([N, nOut, T] views) for backprop. */
    private INDArray outFwd;
    private INDArray outBwd;

    MaskedBidirectionalLayer(NeuralNetConfiguration conf, Layer fwd, Layer bwd, INDArray paramsView) {
        super(conf, fwd, bwd, paramsView);
        this.fwd = fwd;
        this.bwd = bwd;
    }

    private Bidirectional layerConf() {
        return (Bidirectional) conf().getLayer();
    }

    private boolean nwc() {
        return layerConf().getRNNDataFormat() == RNNFormat.NWC;
    }

    private INDArray toNcw(INDArray a) {
        return nwc() ? a.permute(0, 2, 1) : a;
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        this.input = input;
        fwd.setInput(input, workspaceMgr);
    }

    @Override
    public INDArray input() {
        return input;
    }

    @Override
    public void setMaskArray(INDArray maskArray) {
        this.mask = maskArray;
        this.lengths = maskArray == null ? null : SequenceLengths.fromMask(maskArray);
        // Padding stays at the end in both directions, so both see the same mask.
        fwd.setMaskArray(maskArray);
        bwd.setMaskArray(maskArray);
    }

    @Override
    public INDArray getMaskArray() {
        return mask;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        if (maskArray != null && maskArray.rank() == 2 && maskArray.size(0) != minibatchSize) {
            throw new IllegalArgumentException("featuresMask: got " + maskArray.size(0) + " rows, expected "
                    + minibatchSize + " (the minibatch size)");
        }
        setMaskArray(maskArray);
        Pair<INDArray, MaskState> ret = fwd.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
        bwd.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
        return ret;
    }

    /** The lengths of the current minibatch, checked against an [N, C, T] array. */
    private SequenceLengths lengthsFor(INDArray ncw, String what) {
        if (lengths == null) {
            if (ncw.rank() != 3) {
                throw new IllegalArgumentException(what + ": got rank " + ncw.rank() + ", expected rank 3");
            }
            return SequenceLengths.full(ncw.size(0), ncw.size(2));
        }
        lengths.requireMatches(ncw, what);
        return lengths;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray inNcw = toNcw(input);
        SequenceLengths len = lengthsFor(inNcw, "input");
        INDArray reversed = reversedInput(inNcw, len);
        bwd.setInput(nwc() ? reversed.permute(0, 2, 1) : reversed, workspaceMgr);

        INDArray out1 = toNcw(fwd.activate(training, workspaceMgr));
        INDArray out2 = len.reverse(toNcw(bwd.activate(training, workspaceMgr)), workspaceMgr,
                ArrayType.FF_WORKING_MEM);
        INDArray ret;
        switch (layerConf().getMode()) {
            case ADD:
                ret = out1.addi(out2);
                break;
            case MUL:
                this.outFwd = out1.detach();
                this.outBwd = out2.detach();
                ret = workspaceMgr.dup(ArrayType.ACTIVATIONS, out1).muli(out2);
                break;
            case AVERAGE:
                ret = out1.addi(out2).muli(0.5);
                break;
            case CONCAT:
                ret = workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, Nd4j.concat(1, out1, out2));
                break;
            default:
                throw new IllegalStateException("mode: got " + layerConf().getMode()
                        + ", expected CONCAT, ADD, MUL or AVERAGE");
        }
        if (mask != null) {
            SequenceLengths.applyMask(ret, mask);
        }
        return nwc() ? ret.permute(0, 2, 1) : ret;
    }

    /** Kept in the input's own workspace, as DL4J's Bidirectional does: the backward direction reads it in backprop. */
    private static INDArray reversedInput(INDArray inNcw, SequenceLengths len) {
        INDArray reversed;
        if (!inNcw.isAttached()) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                reversed = len.reverse(inNcw, null, null);
            }
        } else {
            try (MemoryWorkspace ignored = inNcw.data().getParentWorkspace().notifyScopeBorrowed()) {
                reversed = len.reverse(inNcw, null, null);
            }
        }
        return reversed;
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray eps = toNcw(epsilon);
        SequenceLengths len = lengthsFor(eps, "epsilon");
        if (mask != null) {
            // The output at padded steps is 0 whatever the parameters: no gradient flows back through it.
            eps = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, eps);
            SequenceLengths.applyMask(eps, mask);
        }
        INDArray eFwd;
        INDArray eBwd;
        long n = eps.size(1) / 2;
        switch (layerConf().getMode()) {
            case ADD:
                eFwd = eps;
                eBwd = eps;
                break;
            case MUL:
                eFwd = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, eps).muli(outBwd);
                eBwd = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, eps).muli(outFwd);
                break;
            case AVERAGE:
                eFwd = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, eps).muli(0.5);
                eBwd = eFwd;
                break;
            case CONCAT:
                eFwd = eps.get(all(), interval(0, n), all());
                eBwd = eps.get(all(), interval(n, 2 * n), all());
                break;
            default:
                throw new IllegalStateException("mode: got " + layerConf().getMode()
                        + ", expected CONCAT, ADD, MUL or AVERAGE");
        }
        eBwd = len.reverse(eBwd, workspaceMgr, ArrayType.BP_WORKING_MEM);
        if (nwc()) {
            eFwd = eFwd.permute(0, 2, 1);
            eBwd = eBwd.permute(0, 2, 1);
        }
        Pair<Gradient, INDArray> g1 = fwd.backpropGradient(eFwd, workspaceMgr);
        Pair<Gradient, INDArray> g2 = bwd.backpropGradient(eBwd, workspaceMgr);

        Gradient g = new DefaultGradient(getGradientsViewArray());
        for (Map.Entry<String, INDArray> e : g1.getFirst().gradientForVariable().entrySet()) {
            g.gradientForVariable().put(BidirectionalParamInitializer.FORWARD_PREFIX + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, INDArray> e : g2.getFirst().gradientForVariable().entrySet()) {
            g.gradientForVariable().put(BidirectionalParamInitializer.BACKWARD_PREFIX + e.getKey(), e.getValue());
        }

        INDArray epsOut = toNcw(g1.getSecond());
        epsOut.addi(len.reverse(toNcw(g2.getSecond()), workspaceMgr, ArrayType.BP_WORKING_MEM));
        if (mask != null) {
            SequenceLengths.applyMask(epsOut, mask);
        }
        return new Pair<>(g, g1.getSecond());
    }

    @Override
    public void clear() {
        super.clear();
        input = null;
        outFwd = null;
        outBwd = null;
    }
}
