package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-thread arrays reused from one call to the next, for intermediates that never leave a call (or that the
 * caller copies before its next call): allocating a large ND4J array costs more than filling it (page
 * faults of fresh memory; docs/benchmarks.md).
 * <p>
 * One array per thread and role, kept while its shape and type repeat (as they do in a training loop) and
 * replaced when they change, so a thread holds at most one array of each role's last shape. Detached from
 * workspaces: a caller's workspace may be reset between calls.
 */
final class ReusableArrays {
    /** The kinds of intermediate that are reused; each holds one array per thread. */
    enum Role { SCORES_NTC, GRADIENT_NTC, GRADIENT_OUT }

    private static final ThreadLocal<Map<Role, INDArray>> ARRAYS = ThreadLocal.withInitial(HashMap::new);

    private ReusableArrays() {
    }

    /** An array of the given type and c-order shape, with arbitrary content. */
    static INDArray get(Role role, DataType type, long... shape) {
        Map<Role, INDArray> arrays = ARRAYS.get();
        INDArray a = arrays.get(role);
        if (a == null || a.dataType() != type || !Arrays.equals(a.shape(), shape)) {
            a = Nd4j.createUninitializedDetached(type, shape);
            arrays.put(role, a);
        }
        return a;
    }
}
