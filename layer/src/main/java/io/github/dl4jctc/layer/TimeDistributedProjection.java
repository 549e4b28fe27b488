package io.github.dl4jctc.layer;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The dense projection {@code xW + b} applied at every frame of recurrent activations, forward and backward, as
 * matrix products over all {@code N*T} frames at once: logits {@code [N*T, nOut]} (row {@code n*T + t}), the weight
 * and bias gradients and the epsilon for the layer below, from the gradient with respect to the logits.
 * <p>
 * NWC input {@code [N, T, nIn]} is already a matrix of frames (a row per frame). NCW input {@code [N, nIn, T]} is
 * copied as {@code [nIn, N, T]} (each sample's feature rows move in runs of T values) and used as columns through
 * transposed products; its epsilon comes from {@code W delta^T} moved into {@code [N, nIn, T]} the same way, where a
 * transposition of {@code [N*T, nIn]} would move single values.
 * <p>
 * Holds a row of ones from one step to the next (see {@link #ones}); one instance per layer.
 */
final class TimeDistributedProjection {
    /** See {@link #ones}. */
    private transient INDArray onesRow;

    /**
     * The input as a matrix of frames and the logits {@code xW + b}, in working memory of the weights' type.
     *
     * @param input   {@code [N, nIn, T]} when {@code ncw}, else {@code [N, T, nIn]}; shape checked by the caller
     * @param weights {@code [nIn, nOut]}
     * @param bias    {@code [1, nOut]}
     */
    Frames forward(INDArray input, boolean ncw, INDArray weights, INDArray bias, LayerWorkspaceMgr workspaceMgr,
                   ArrayType workingMemory) {
        INDArray ntc = ncw ? input.permute(0, 2, 1) : input;
        long n = ntc.size(0);
        long t = ntc.size(1);
        long nIn = weights.size(0);
        INDArray features = ncw
                ? columnsOf(input, weights.dataType(), workingMemory, workspaceMgr).reshape('c', nIn, n * t)
                : rowsOf(ntc, weights.dataType(), workingMemory, workspaceMgr).reshape('c', n * t, nIn);
        INDArray logits = workspaceMgr.createUninitialized(workingMemory, weights.dataType(),
                new long[]{n * t, weights.size(1)}, 'c');
        // Nd4j.gemm, not rows.mmuli(weights, logits): the latter takes twice as long at 6400x256 times 256x5000
        // (see CtcLayerStepBenchmark).
        Nd4j.gemm(features, weights, logits, ncw, false, 1.0, 0.0);
        logits.addiRowVector(bias);
        return new Frames(n, t, features, ncw, logits, weights);
    }

    /**
     * Writes {@code scale * x^T delta} into {@code weightGrad} and {@code scale * sum over frames of delta} into
     * {@code biasGrad}.
     *
     * @param delta the gradient with respect to the logits, {@code [N*T, nOut]}
     */
    void parameterGradients(Frames frames, INDArray delta, double scale, INDArray weightGrad, INDArray biasGrad) {
        Nd4j.gemm(frames.features, delta, weightGrad, !frames.columns, false, scale, 0.0);
        // A column sum as a product with a row of ones: ND4J's sum along dimension 0 of [N*T, C] takes as long as
        // the CTC op itself at 16x400x5000, the matrix product a tenth of that. Straight into biasGrad, a
        // contiguous view, reshaped with enforceView (which throws rather than copy).
        Nd4j.gemm(ones(frames.n * frames.t, delta.dataType()), delta,
                biasGrad.reshape('c', true, 1, biasGrad.length()), false, false, scale, 0.0);
    }

    /**
     * The gradient with respect to the input, {@code scale * delta W^T}, in the input's format as an
     * ACTIVATION_GRAD array: NWC {@code [N, T, nIn]} straight from the product; NCW {@code [N, nIn, T]} from
     * {@code W delta^T} ({@code [nIn, N*T]}), whose rows move into place in runs of T values.
     */
    INDArray epsilon(Frames frames, INDArray delta, double scale, LayerWorkspaceMgr workspaceMgr) {
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

    /**
     * One minibatch's frames: the input as a matrix of frames, logits {@code [N*T, C]} (row {@code n*T + t}) and
     * the weights used.
     */
    static final class Frames {
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

        /** The logits as {@code [N, T, C]}. */
        INDArray logits3d() {
            return logits.reshape('c', n, t, logits.size(1));
        }
    }
}
