package io.github.dl4jctc.layer.recurrent;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The sequence lengths of a minibatch, read from a features mask {@code [N, T]} of 1s followed by 0s (or all {@code T}
 * without a mask), and the time reversal within each length that they define.
 */
final class SequenceLengths {
    private final int[] lengths;
    private final int t;
    /** Row indices into {@code [N*T, C]}: row {@code n*T + t} takes row {@code n*T + (L_n-1-t)} for t < L_n, else itself. */
    private final INDArray gatherIndex;

    private SequenceLengths(int[] lengths, int t) {
        this.lengths = lengths;
        this.t = t;
        int[] index = new int[lengths.length * t];
        for (int n = 0; n < lengths.length; n++) {
            int base = n * t;
            for (int i = 0; i < t; i++) {
                index[base + i] = base + (i < lengths[n] ? lengths[n] - 1 - i : i);
            }
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.gatherIndex = Nd4j.createFromArray(index);
        }
    }

    /** Every sequence as long as the minibatch. */
    static SequenceLengths full(long n, long t) {
        int[] lengths = new int[Math.toIntExact(n)];
        Arrays.fill(lengths, Math.toIntExact(t));
        return new SequenceLengths(lengths, Math.toIntExact(t));
    }

    /**
     * @param mask features mask {@code [N, T]}: each row 1s followed by 0s
     * @throws IllegalArgumentException if the mask has another rank, or a row holds anything but 1s followed by 0s
     */
    static SequenceLengths fromMask(INDArray mask) {
        if (mask.rank() != 2) {
            throw new IllegalArgumentException("featuresMask: got shape " + Arrays.toString(mask.shape())
                    + ", expected [N, T] (rank 2) with each row 1s followed by 0s");
        }
        int n = Math.toIntExact(mask.size(0));
        int t = Math.toIntExact(mask.size(1));
        double[] values;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            values = mask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }
        int[] lengths = new int[n];
        for (int row = 0; row < n; row++) {
            int length = 0;
            boolean ended = false;
            for (int i = 0; i < t; i++) {
                double v = values[row * t + i];
                if (v == 1.0 && !ended) {
                    length++;
                } else if (v == 0.0) {
                    ended = true;
                } else {
                    throw new IllegalArgumentException("featuresMask: got " + v + " at [" + row + ", " + i
                            + "] after " + length + " ones" + (ended ? " and a zero" : "")
                            + ", expected each row to be 1s followed by 0s");
                }
            }
            lengths[row] = length;
        }
        return new SequenceLengths(lengths, t);
    }

    /**
     * @throws IllegalArgumentException unless {@code ncw} is {@code [N, C, T]} with this minibatch's N and T
     */
    void requireMatches(INDArray ncw, String what) {
        if (ncw.rank() != 3 || ncw.size(0) != lengths.length || ncw.size(2) != t) {
            long[] s = ncw.shape();
            throw new IllegalArgumentException("featuresMask: got shape [" + lengths.length + ", " + t + "], expected [N, T] = ["
                    + (s.length > 0 ? s[0] : "?") + ", " + (s.length == 3 ? s[2] : "?") + "] of the " + what
                    + " (N, C, T) " + Arrays.toString(s));
        }
    }

    /** The lengths as a fresh {@code [N]} int32 array outside any workspace. */
    INDArray toArray() {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createFromArray(lengths.clone());
        }
    }

    boolean isFull() {
        for (int length : lengths) {
            if (length != t) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reverses each sequence within its own length; padded steps stay where they are. Its own inverse.
     *
     * @param ncw  {@code [N, C, T]}, any strides
     * @param mgr  where to allocate; {@code null}: the current workspace scope
     * @param type the array type of the result (with {@code mgr})
     * @return {@code [N, C, T]}, a permuted view of a fresh {@code [N, T, C]} array
     */
    INDArray reverse(INDArray ncw, LayerWorkspaceMgr mgr, ArrayType type) {
        long n = ncw.size(0);
        long c = ncw.size(1);
        INDArray nwc = ncw.permute(0, 2, 1);
        INDArray rows = (mgr == null ? nwc.dup('c') : mgr.dup(type, nwc, 'c')).reshape('c', n * t, c);
        INDArray out = mgr == null ? Nd4j.createUninitialized(ncw.dataType(), new long[]{n * t, c}, 'c')
                : mgr.createUninitialized(type, ncw.dataType(), new long[]{n * t, c}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("gather").addInputs(rows, gatherIndex).addOutputs(out)
                .addIntegerArguments(0).build());
        return out.reshape('c', n, t, c).permute(0, 2, 1);
    }

    /** Multiplies {@code ncw} [N, C, T] in place by the mask these lengths come from. */
    static void applyMask(INDArray ncw, INDArray mask) {
        INDArray m = mask.castTo(ncw.dataType());
        Nd4j.getExecutioner().exec(new BroadcastMulOp(ncw, m, ncw, 0, 2));
    }
}
