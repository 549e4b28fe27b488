package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Small arrays (targets, lengths, masks) read into Java in one copy. The layer module keeps a package-private twin
 * for its labels and masks, so that neither exports this detail as API.
 */
final class HostValues {
    private HostValues() {
    }

    /**
     * All values of {@code a} in c order, as doubles: straight from the buffer when the array is packed in c order,
     * as targets, lengths and masks nearly always are (a cast and a copy in native ops cost a noticeable share of a
     * small batch's kernel; element-wise INDArray reads are slower still).
     */
    static double[] of(INDArray a) {
        if (isPackedCOrder(a) && a.length() <= Integer.MAX_VALUE) {
            return a.data().getDoublesAt(0, (int) a.length());
        }
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /**
     * Whether {@code a} is laid out in c order from the first element of its own buffer, so that element i of
     * the array is element i of {@code a.data()}. Views that start further in (offset > 0) do not count: how
     * their buffer is indexed differs between ND4J's backends, so they are copied instead.
     */
    static boolean isPackedCOrder(INDArray a) {
        return a.offset() == 0 && Arrays.equals(a.stride(), Nd4j.getStrides(a.shape(), 'c'))
                && a.data().length() >= a.length();
    }
}
