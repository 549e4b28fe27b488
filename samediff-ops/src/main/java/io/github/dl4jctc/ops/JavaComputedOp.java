package io.github.dl4jctc.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A SameDiff custom op whose outputs are computed in Java from ND4J operations.
 * <p>
 * Why it looks like this: in ND4J 1.0.0-M2.1, {@code InferenceSession} runs every custom op natively by its op
 * hash, and the one Java method it calls on the op, with the input arrays in hand, before running it is
 * {@link #calculateOutputShape(OpContext)}. So the outputs are computed there (validation first, so bad input
 * never reaches native code), the context's inputs are replaced by them, and the op runs as libnd4j's
 * {@code identity} (one output) or {@code identity_n}, which copy them into the output arrays SameDiff
 * allocated. Everything stays ND4J operations, so the op runs on whichever backend is on the classpath. The op's
 * own name is unknown to libnd4j; FlatBuffers then saves it with hash 0 and its name, which
 * {@link CtcOpRegistry} resolves on load.
 * <p>
 * Why {@code identity} for one output: {@code identity_n} copies through a parallel transform, after which
 * libnd4j's OpenMP workers spin on the cores for milliseconds, and Java kernels that run next get less CPU;
 * {@code identity}'s assignment leaves no such spin (figures in docs/benchmarks.md).
 */
abstract class JavaComputedOp extends DynamicCustomOp {
    private long nativeCopyHash;

    protected JavaComputedOp() {
    }

    protected JavaComputedOp(SameDiff sameDiff, SDVariable[] args, long[] iArgs) {
        super(null, sameDiff, args);
        addIArgument(iArgs);
    }

    /** The op's one output, computed from its inputs and integer arguments. */
    protected abstract INDArray[] compute(List<INDArray> inputs, long[] iArgs);

    @Override
    public abstract String opName();

    @Override
    public long opHash() {
        if (nativeCopyHash == 0) {
            nativeCopyHash = Nd4j.getExecutioner().getCustomOperations().get("identity").getHash();
        }
        return nativeCopyHash;
    }

    @Override
    public List<LongShapeDescriptor> calculateOutputShape(OpContext oc) {
        if (oc == null || oc.getInputArrays() == null || oc.getInputArrays().isEmpty()) {
            // Asked outside execution (graph inspection): the shape is known only once inputs are.
            return Collections.emptyList();
        }
        long[] iArgs = oc.getIArguments().stream().mapToLong(Long::longValue).toArray();
        INDArray[] result = compute(oc.getInputArrays(), iArgs);
        oc.setInputArrays(result);
        oc.setIArguments();
        return shapes(result);
    }

    @Override
    public List<LongShapeDescriptor> calculateOutputShape() {
        if (inputArguments().isEmpty()) {
            return Collections.emptyList();
        }
        return shapes(compute(inputArguments(), iArgs()));
    }

    private static List<LongShapeDescriptor> shapes(INDArray[] arrays) {
        List<LongShapeDescriptor> shapes = new ArrayList<>(arrays.length);
        for (INDArray a : arrays) shapes.add(a.shapeDescriptor());
        return shapes;
    }

    @Override
    public List<DataType> calculateOutputDataTypes(List<DataType> inputDataTypes) {
        return Collections.singletonList(inputDataTypes.get(0));
    }

    /** The options live in the integer arguments; libnd4j has no descriptor for this op to map properties. */
    @Override
    public Map<String, Object> propertiesForFunction() {
        return Collections.emptyMap();
    }

    @Override
    public void setPropertiesForFunction(Map<String, Object> properties) {
    }

    /** One output: libnd4j's {@code identity} copies exactly one. */
    @Override
    public final int getNumOutputs() {
        return 1;
    }
}
