package io.github.dl4jctc.layer.decode;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/** Builds decoder inputs in tests from Java arrays written frame by frame: {@code [N][T][C]}. */
final class Frames {

    private Frames() {
    }

    /** @return {@code [N, C, T]} (NCW), the layer's default output layout */
    static INDArray ncw(double[][][] byFrame) {
        return Nd4j.createFromArray(byFrame).permute(0, 2, 1).dup('c');
    }

    /** @return {@code [N, T, C]} (NWC) */
    static INDArray nwc(double[][][] byFrame) {
        return Nd4j.createFromArray(byFrame);
    }

    /** @return {@code [N, T]} float mask with the given number of leading 1s per row */
    static INDArray mask(int t, int... lengths) {
        INDArray mask = Nd4j.zeros(DataType.FLOAT, lengths.length, t);
        for (int n = 0; n < lengths.length; n++) {
            for (int i = 0; i < lengths[n]; i++) {
                mask.putScalar(n, i, 1.0);
            }
        }
        return mask;
    }

    /** Random frames {@code [T][C]}, each a probability distribution; some entries are exactly 0. */
    static double[][] randomFrames(Random random, int t, int c) {
        double[][] frames = new double[t][c];
        for (int i = 0; i < t; i++) {
            double sum = 0;
            for (int j = 0; j < c; j++) {
                frames[i][j] = random.nextInt(5) == 0 ? 0 : random.nextDouble();
                sum += frames[i][j];
            }
            if (sum == 0) {
                frames[i][random.nextInt(c)] = 1;
                sum = 1;
            }
            for (int j = 0; j < c; j++) {
                frames[i][j] /= sum;
            }
        }
        return frames;
    }
}
