package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Finds the samples whose loss PyTorch would make NaN: those with a NaN or +inf log-probability at a valid frame
 * for a class their alignment uses (the blank or one of their labels).
 * <p>
 * libnd4j's log-sum-exp treats NaN as -inf, so without this a NaN input comes back as a +inf loss (NaN at a
 * blank frame gives +inf), which zeroInfinity would then turn into a silent 0.
 */
final class NonFiniteScores {
    private NonFiniteScores() {
    }

    static boolean[] poisonedSamples(INDArray logProbsNtc, CtcBatch batch) {
        boolean[] out = new boolean[batch.batchSize];
        if (!BooleanIndexing.or(logProbsNtc, Conditions.isNan()) && !BooleanIndexing.or(logProbsNtc, Conditions.isInfinite())) {
            return out;     // the common case: one pass over the array, no per-sample work
        }
        for (int n = 0; n < batch.batchSize; n++) {
            if (batch.inputLengths[n] == 0) {
                continue;
            }
            INDArray frames = logProbsNtc.get(NDArrayIndex.point(n), NDArrayIndex.interval(0, batch.inputLengths[n]),
                    NDArrayIndex.all());
            out[n] = invalid(frames, batch.blank);
            for (int s = 0; s < batch.targetLengths[n] && !out[n]; s++) {
                out[n] = invalid(frames, batch.targets[n][s]);
            }
        }
        return out;
    }

    private static boolean invalid(INDArray frames, int cls) {
        INDArray column = frames.get(NDArrayIndex.all(), NDArrayIndex.point(cls));
        return BooleanIndexing.or(column, Conditions.isNan())
                || BooleanIndexing.or(column, Conditions.equals(Double.POSITIVE_INFINITY));
    }
}
