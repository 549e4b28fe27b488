package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.fail;

/** Relative comparisons of results against expected values, NaN and infinities included. */
final class Close {
    private Close() {
    }

    /**
     * Each element within {@code rel * max(|expected|, floor)}, where the floor is 5% of the largest expected
     * magnitude (so near-zero gradient entries are judged on the array's scale). NaN must meet NaN, inf the same inf.
     */
    static void assertClose(double[] expected, INDArray actual, double rel, String what) {
        double[] a = actual.castTo(DataType.DOUBLE).reshape(actual.length()).toDoubleVector();
        if (a.length != expected.length) {
            fail(what + ": length " + a.length + ", expected " + expected.length);
        }
        double maxAbs = 0;
        for (double e : expected) if (Double.isFinite(e)) maxAbs = Math.max(maxAbs, Math.abs(e));
        double floor = Math.max(maxAbs * 5e-2, 1e-12);
        for (int i = 0; i < a.length; i++) {
            double e = expected[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                if (Double.compare(e, a[i]) != 0) fail(what + "[" + i + "]: got " + a[i] + ", expected " + e);
                continue;
            }
            double tol = rel * Math.max(Math.abs(e), floor);
            if (!(Math.abs(a[i] - e) <= tol)) {
                fail(what + "[" + i + "]: got " + a[i] + ", expected " + e + " (tolerance " + tol + ")");
            }
        }
    }

    static void assertClose(double expected, INDArray actualScalar, double rel, String what) {
        assertClose(new double[]{expected}, actualScalar, rel, what);
    }
}
