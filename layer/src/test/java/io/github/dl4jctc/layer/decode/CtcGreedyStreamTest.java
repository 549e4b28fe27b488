package io.github.dl4jctc.layer.decode;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CtcGreedyStreamTest {

    @Test
    void greedyStreamInChunksEqualsAllAtOnce() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int t = random.nextInt(30);
            int c = 2 + random.nextInt(4);
            int blank = random.nextInt(c);
            double[][] frames = Frames.randomFrames(random, Math.max(t, 1), c);
            if (t == 0) {
                frames = new double[0][c];
            }
            CtcGreedyDecoder decoder = new CtcGreedyDecoder(blank, RNNFormat.NWC);
            CtcHypothesis whole = t == 0 ? decoder.newStream().result()
                    : decoder.decode(Frames.nwc(new double[][][]{frames}), null).get(0);
            CtcGreedyStream byArrays = decoder.newStream();
            CtcGreedyStream byIndArrays = decoder.newStream();
            int at = 0;
            while (at < t) {
                int size = Math.min(t - at, random.nextInt(5));   // chunks of 0 frames too
                double[][] chunk = Arrays.copyOfRange(frames, at, at + size);
                if (size > 0) {
                    byIndArrays.accept(Frames.nwc(new double[][][]{chunk}));
                }
                byArrays.acceptLogProbs(logs(chunk));
                at += size;
                assertEquals(at, byArrays.frames());
            }
            assertEquals(whole, byIndArrays.result(), "round " + round);
            CtcHypothesis fromFloats = byArrays.result();
            assertArrayEquals(whole.labels(), fromFloats.labels());
            assertEquals(whole.spans().size(), fromFloats.spans().size());
            // float[][] input is rounded to float: the same labels and frames, values within float precision
            if (t > 0) {
                assertEquals(decoder.decodeLogProbs(logs(frames)), fromFloats);
            }
        }
    }

    private static float[][] logs(double[][] frames) {
        float[][] out = new float[frames.length][];
        for (int t = 0; t < frames.length; t++) {
            out[t] = new float[frames[t].length];
            for (int c = 0; c < frames[t].length; c++) {
                out[t][c] = (float) Math.log(frames[t][c]);
            }
        }
        return out;
    }

    @Test
    void resultCanBeTakenMidStreamAndTheLastSpanGrows() {
        CtcGreedyStream stream = new CtcGreedyDecoder().newStream();
        stream.acceptLogProbs(new float[][]{{-2f, -0.1f}, {-2f, -0.1f}});
        assertEquals(new TokenSpan(1, 0, 2, Math.exp(-0.1f)), stream.result().spans().get(0));
        stream.acceptLogProbs(new float[][]{{-2f, -0.1f}});
        assertEquals(3, stream.result().spans().get(0).endFrame());
        assertEquals(3 * -0.1f, stream.result().logScore(), 1e-6);
    }

    @Test
    void badChunksAreRefusedNamingTheArgument() {
        CtcGreedyStream stream = new CtcGreedyDecoder().newStream();
        stream.acceptLogProbs(new float[][]{{-1f, -0.5f, -2f}});
        CtcForcedAlignerTest.refused(() -> stream.acceptLogProbs(new float[][]{{-1f, -0.5f}}), "C = 2", "C = 3");
        CtcForcedAlignerTest.refused(() -> stream.acceptLogProbs(new float[][]{{-1f, Float.NaN, -2f}}), "logProbs",
                "NaN", "frame 0, class 1");
        CtcForcedAlignerTest.refused(() -> stream.acceptLogProbs(new float[][]{{-1f, -1f, -1f}, {-1f}}), "logProbs",
                "frame 1");
        CtcForcedAlignerTest.refused(() -> stream.acceptLogProbs(null), "logProbs", "null");
        CtcForcedAlignerTest.refused(() -> stream.accept(Nd4j.ones(DataType.FLOAT, 2, 3, 4)), "N = 1");
        CtcForcedAlignerTest.refused(() -> new CtcGreedyDecoder(3, RNNFormat.NCW).newStream()
                .acceptLogProbs(new float[][]{{-1f, -1f, -1f}}), "C = 3", "blank = 3");
        // the refused chunks changed nothing
        assertEquals(1, stream.frames());
        assertArrayEquals(new int[]{1}, stream.result().labels());
    }

    @Test
    void aFrameWithoutAnyFiniteLogProbabilityIsRefusedAsTheProbabilityInputRefusesIt() {
        float inf = Float.NEGATIVE_INFINITY;
        CtcGreedyDecoder decoder = new CtcGreedyDecoder(1, org.deeplearning4j.nn.conf.RNNFormat.NWC);
        IllegalArgumentException whole = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> decoder.decodeLogProbs(new float[][]{{-0.1f, -2.4f}, {inf, inf}}));
        assertEquals("logProbs: got -inf for every class at frame 1, expected at least one finite log-probability",
                whole.getMessage());
        CtcGreedyStream stream = decoder.newStream();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> stream.acceptLogProbs(new float[][]{{inf, inf}}));
        assertEquals(0, stream.result().length());
    }
}
