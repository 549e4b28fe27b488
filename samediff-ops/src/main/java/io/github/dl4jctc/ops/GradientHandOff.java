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
 * repeat), and handed over only for the very same input arrays (held weakly: nothing is kept alive) and the same
 * loss values; otherwise the backward op computes the gradient again, so a miss costs time, never correctness.
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
        kept.put(node, new Kept(in, r.loss(), r.gradient()));
        return r;
    }

    /**
     * The gradient kept by node's forward run if it was computed from these very input arrays and gave this
     * loss, else null. It stays kept: do not modify it.
     */
    static INDArray find(String node, List<INDArray> in, INDArray loss) {
        Kept k = node == null ? null : KEPT.get().get(node);
        return k != null && k.isFor(in, loss) ? k.gradient : null;
    }

    private static INDArray bufferFor(INDArray scores) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(scores.dataType(), scores.shape(), 'c');   // outlives this call
        }
    }

    private static final class Kept {
        private final WeakReference<?>[] inputs;
        private final double[] loss;
        final INDArray gradient;

        Kept(List<INDArray> in, INDArray loss, INDArray gradient) {
            this.inputs = new WeakReference<?>[4];
            for (int i = 0; i < inputs.length; i++) inputs[i] = new WeakReference<>(in.get(i));
            this.loss = values(loss);
            this.gradient = gradient;
        }

        boolean fits(INDArray scores) {
            return gradient.dataType() == scores.dataType() && Arrays.equals(gradient.shape(), scores.shape());
        }

        boolean isFor(List<INDArray> in, INDArray loss) {
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].get() != in.get(i)) {
                    return false;
                }
            }
            return Arrays.equals(this.loss, values(loss));
        }

        private static double[] values(INDArray a) {
            double[] v = new double[(int) a.length()];
            for (int i = 0; i < v.length; i++) v[i] = a.getDouble(i);
            return v;
        }
    }
}
