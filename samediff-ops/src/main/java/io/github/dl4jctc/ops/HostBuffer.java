package io.github.dl4jctc.ops;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.Indexer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to a packed c-order FLOAT or DOUBLE array in host memory, for the CPU kernel's inner loops
 * ({@code DataBuffer.getDouble} re-checks state and data type on every element). CPU backend only: the kernel
 * that uses it is chosen by backend ({@link CtcKernels}).
 */
abstract class HostBuffer {
    final long offset;

    private HostBuffer(long offset) {
        this.offset = offset;
    }

    static HostBuffer of(INDArray packed) {
        Indexer indexer = packed.data().indexer();
        if (indexer instanceof FloatIndexer) {
            FloatIndexer f = (FloatIndexer) indexer;
            return new HostBuffer(packed.offset()) {
                @Override
                double get(long i) {
                    return f.get(offset + i);
                }

                @Override
                void put(long i, double v) {
                    f.put(offset + i, (float) v);
                }
            };
        }
        if (indexer instanceof DoubleIndexer) {
            DoubleIndexer d = (DoubleIndexer) indexer;
            return new HostBuffer(packed.offset()) {
                @Override
                double get(long i) {
                    return d.get(offset + i);
                }

                @Override
                void put(long i, double v) {
                    d.put(offset + i, v);
                }
            };
        }
        throw new IllegalStateException("Expected a FLOAT or DOUBLE buffer, got " + packed.dataType());
    }

    /** Element i of the array (counted from the array's first element). */
    abstract double get(long i);

    abstract void put(long i, double v);
}
