package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient a {@link CtcLossOp} computes with its loss, kept for the {@link CtcLossGradientOp} of the same
 * graph node on the same thread: one kernel run serves the forward and the backward pass.
 * <p>
 * Kept per thread and node name, in an array of the node's own (reused while the scores' shape and type
 * repeat: one gradient-sized array per thread and node of a graph being differentiated), and handed over only
 * for the very same input arrays (held weakly: nothing is kept alive); otherwise the backward op computes the
 * gradient again. In SameDiff a node's backward op runs after its forward op in the same execution, so the same
 * arrays mean the same values, as for any op whose backward reads saved inputs: a listener that changes the
 * scores in place between the two would get the gradient of the values the forward op saw.
 */
final class GradientHandOff {
    private static final ThreadLocal<Map<String, Kept>> KEPT = ThreadLocal.withInitial(HashMap::new);

    private GradientHandOff() {
    }

    /** Runs the kernel on the forward op's inputs (scores, targets, input lengths, target lengths), keeps the gradient. */
    static CtcResult computeAndKeep(String node, List<INDArray> in, CtcOptions options, boolean fromLogits) {
        Map<String, Kept> kept = KEPT.get();
        Kept previous = kept.remove(node);   // stale after a failure below
        INDArray scores = in.get(0);
        CtcResult r;
        if (scores != null && (scores.dataType() == DataType.FLOAT || scores.dataType() == DataType.DOUBLE)) {
            INDArray buffer = previous != null && previous.fits(scores) ? previous.gradient : bufferFor(scores);
            r = CtcLossEngine.lossAndGradientInto(scores, in.get(1), in.get(2), in.get(3), options, fromLogits,
                    buffer);
        } else {   // HALF, BFLOAT16 (or invalid input, refused by the engine): a gradient of their own type
            r = CtcLossEngine.lossAndGradient(scores, in.get(1), in.get(2), in.get(3), options, fromLogits);
        }
        kept.put(node, new Kept(in, r.gradient()));
        return r;
    }

    /**
     * The gradient kept by node's forward run if it was computed from these very input arrays, else null. It
     * stays kept: do not modify it.
     */
    static INDArray find(String node, List<INDArray> in) {
        Kept k = node == null ? null : KEPT.get().get(node);
        return k != null && k.isFor(in) ? k.gradient : null;
    }

    private static INDArray bufferFor(INDArray scores) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(scores.dataType(), scores.shape(), 'c');   // outlives this call
        }
    }

    private static final class Kept {
        private final WeakReference<?>[] inputs;
        final INDArray gradient;

        Kept(List<INDArray> in, INDArray gradient) {
            this.inputs = new WeakReference<?>[4];
            for (int i = 0; i < inputs.length; i++) inputs[i] = new WeakReference<>(in.get(i));
            this.gradient = gradient;
        }

        boolean fits(INDArray scores) {
            return gradient.dataType() == scores.dataType() && Arrays.equals(gradient.shape(), scores.shape());
        }

        boolean isFor(List<INDArray> in) {
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].get() != in.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
