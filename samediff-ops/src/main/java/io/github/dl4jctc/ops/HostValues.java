package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Small arrays (targets, lengths, masks) read into Java in one copy. Public for the layer module, which reads its
 * labels and masks the same way.
 */
public final class HostValues {
    private HostValues() {
    }

    /**
     * All values of {@code a} in c order, as doubles: straight from the buffer when the array is packed in c order,
     * as targets, lengths and masks nearly always are (a cast and a copy in native ops cost ~0.2-1 ms each, a tenth
     * of a small batch's kernel; element-wise INDArray reads are slower still).
     */
    public static double[] of(INDArray a) {
        boolean packed = Arrays.equals(a.stride(), Nd4j.getStrides(a.shape(), 'c'))
                && a.data().length() - a.offset() >= a.length() && a.length() <= Integer.MAX_VALUE;
        if (packed) {
            return a.data().getDoublesAt(a.offset(), (int) a.length());
        }
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
