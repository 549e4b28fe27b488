package io.github.dl4jctc.layer;

import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.Indexer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves the CTC gradient, scaled, into the NCW epsilon of {@link CtcLossLayerImpl} (and NCW logits into
 * {@code [N, T, C]}), on the calling Java thread for arrays in host memory. A native op here (multiply, permuted
 * copy) wakes libnd4j's OpenMP workers, which then spin for a few milliseconds against the Java threads of the
 * next step's CTC kernel (see docs/benchmarks.md, layer step); a single Java pass costs less up to a few million
 * elements, and the native op is used above that and off CPU.
 */
final class HostScaling {
    /** Above this many elements the native, multi-threaded op is used. */
    private static final long JAVA_LIMIT = 1 << 21;
    private static final int CHUNK = 1 << 14;

    private HostScaling() {
    }

    /**
     * {@code out[n, j, i] = scale * in[n, i, j]}: the last two axes swapped ({@code [N, T, C]} to {@code [N, C, T]}
     * or back), {@code out} c order.
     */
    static void scaledTranspose(INDArray in, INDArray out, double scale) {
        Indexer from = in.dataType() == out.dataType() ? javaIndexer(in) : null;
        Indexer to = javaIndexer(out);
        if (!(from instanceof FloatIndexer) || !(to instanceof FloatIndexer)) {
            // DOUBLE, other layouts and large arrays: native ops (DOUBLE networks are for checks, not speed). A
            // copy and then a multiply: libnd4j's scalar multiply reading a permuted view is 3-4 times slower than
            // the two (docs/benchmarks.md).
            out.assign(in.permute(0, 2, 1));
            if (scale != 1.0) {
                out.muli(scale);
            }
            return;
        }
        FloatIndexer src = (FloatIndexer) from;
        FloatIndexer dst = (FloatIndexer) to;
        int n = (int) in.size(0);
        int t = (int) in.size(1);
        int c = (int) in.size(2);
        float s = (float) scale;
        int block = Math.max(1, Math.min(t, CHUNK / c));   // frames per block: block * c values read at once
        float[] frames = new float[block * c];
        float[] row = new float[block];
        for (int i = 0; i < n; i++) {
            long sample = (long) i * t * c;
            for (int t0 = 0; t0 < t; t0 += block) {
                int len = Math.min(block, t - t0);
                src.get(sample + (long) t0 * c, frames, 0, len * c);
                for (int k = 0; k < c; k++) {
                    for (int j = 0; j < len; j++) {
                        row[j] = frames[j * c + k] * s;
                    }
                    dst.put(sample + (long) k * t + t0, row, 0, len);
                }
            }
        }
    }

    /**
     * The array's indexer when a Java pass suits it (CPU, contiguous c order from offset 0, not too large), else
     * null. A view can be c order from offset 0 and still skip elements (a channel range of a wider array), so the
     * strides must be the default ones of its shape.
     */
    private static Indexer javaIndexer(INDArray a) {
        if (a.length() > JAVA_LIMIT || a.offset() != 0 || a.ordering() != 'c' || !Shape.hasDefaultStridesForShape(a)
                || !a.isR()
                || !Nd4j.getEnvironment().isCPU()) {
            return null;
        }
        return a.data().indexer();
    }
}
