package io.github.dl4jctc.ops;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.Indexer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to an {@code [N, T, C]} FLOAT or DOUBLE array in host memory whose classes are contiguous (a
 * packed NTC array, or a packed TNC one seen through {@code permute(1, 0, 2)}), for the CPU kernel's inner loops
 * ({@code DataBuffer.getDouble} re-checks state and data type on every element). CPU backend only: the kernel
 * that uses it is chosen by backend ({@link CtcKernels}).
 */
abstract class HostBuffer {
    /** Read-only sources for {@link #clear}, shared so that clearing allocates nothing. */
    private static final float[] FLOAT_ZEROS = new float[1 << 16];
    private static final double[] DOUBLE_ZEROS = new double[1 << 16];
    /** Per-thread staging row for the bulk FLOAT transfers. */
    private static final ThreadLocal<float[][]> FLOAT_ROW = ThreadLocal.withInitial(() -> new float[1][0]);

    private final long sampleStride;
    private final long frameStride;

    private HostBuffer(INDArray ntc) {
        this.sampleStride = ntc.stride(0);
        this.frameStride = ntc.stride(1);
    }

    static HostBuffer of(INDArray ntc) {
        if (ntc.rank() != 3 || ntc.stride(2) != 1 || ntc.offset() != 0) {   // see HostValues.isPackedCOrder
            throw new IllegalStateException("Expected [N, T, C] with contiguous classes from offset 0, got shape "
                    + java.util.Arrays.toString(ntc.shape()) + " strides " + java.util.Arrays.toString(ntc.stride())
                    + " offset " + ntc.offset());
        }
        Indexer indexer = ntc.data().indexer();
        if (indexer instanceof FloatIndexer) {
            FloatIndexer f = (FloatIndexer) indexer;
            return new HostBuffer(ntc) {
                @Override
                double get(long i) {
                    return f.get(i);
                }

                @Override
                void put(long i, double v) {
                    f.put(i, (float) v);
                }

                @Override
                void read(long from, double[] to, int count) {
                    float[] row = floatRow(count);
                    f.get(from, row, 0, count);
                    for (int i = 0; i < count; i++) to[i] = row[i];
                }

                @Override
                void write(long from, double[] values, double scale, int count) {
                    float[] row = floatRow(count);
                    for (int i = 0; i < count; i++) row[i] = (float) (values[i] * scale);
                    f.put(from, row, 0, count);
                }

                @Override
                void clear(long from, long count) {
                    for (long done = 0; done < count; done += FLOAT_ZEROS.length) {
                        f.put(from + done, FLOAT_ZEROS, 0, (int) Math.min(FLOAT_ZEROS.length, count - done));
                    }
                }
            };
        }
        if (indexer instanceof DoubleIndexer) {
            DoubleIndexer d = (DoubleIndexer) indexer;
            return new HostBuffer(ntc) {
                @Override
                double get(long i) {
                    return d.get(i);
                }

                @Override
                void put(long i, double v) {
                    d.put(i, v);
                }

                @Override
                void read(long from, double[] to, int count) {
                    d.get(from, to, 0, count);
                }

                @Override
                void write(long from, double[] values, double scale, int count) {
                    if (scale != 1.0) {
                        for (int i = 0; i < count; i++) values[i] *= scale;
                    }
                    d.put(from, values, 0, count);
                }

                @Override
                void clear(long from, long count) {
                    for (long done = 0; done < count; done += DOUBLE_ZEROS.length) {
                        d.put(from + done, DOUBLE_ZEROS, 0, (int) Math.min(DOUBLE_ZEROS.length, count - done));
                    }
                }
            };
        }
        throw new IllegalStateException("Expected a FLOAT or DOUBLE buffer, got " + ntc.dataType());
    }

    /** Index of class 0 of frame t of sample n (the frame's classes follow it). */
    final long frame(int n, int t) {
        return n * sampleStride + t * frameStride;
    }

    /** Element i of the array (counted from the array's first element). */
    abstract double get(long i);

    abstract void put(long i, double v);

    /** Copies {@code count} elements from element {@code from} into {@code to}. */
    abstract void read(long from, double[] to, int count);

    /**
     * Writes {@code scale * values[i]} to the {@code count} elements from element {@code from} (for DOUBLE
     * buffers {@code values} is scaled in place).
     */
    abstract void write(long from, double[] values, double scale, int count);

    /** Sets {@code count} elements from element {@code from} to 0. */
    abstract void clear(long from, long count);

    private static float[] floatRow(int count) {
        float[][] holder = FLOAT_ROW.get();
        if (holder[0].length < count) {
            holder[0] = new float[count];
        }
        return holder[0];
    }
}
