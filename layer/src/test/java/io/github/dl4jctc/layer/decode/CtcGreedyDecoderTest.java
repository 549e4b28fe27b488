package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CtcGreedyDecoderTest {

    // Classes: 0 = blank, 1 = a, 2 = b. Every frame's winner has probability 0.7.
    private static final double[] BLANK = {0.7, 0.2, 0.1};
    private static final double[] A = {0.2, 0.7, 0.1};
    private static final double[] B = {0.1, 0.2, 0.7};

    @Test
    void collapsesRepeatsThenDropsBlanks() {
        double[][][] frames = {{A, A, BLANK, A, B, B, BLANK}};
        List<CtcHypothesis> decoded = new CtcGreedyDecoder().decode(Frames.ncw(frames), null);
        assertEquals(1, decoded.size());
        assertArrayEquals(new int[]{1, 1, 2}, decoded.get(0).labels());
        assertEquals(7 * Math.log(0.7), decoded.get(0).logScore(), 1e-12);
    }

    @Test
    void decodesEachSampleOverItsMaskedLength() {
        double[][][] frames = {
                {A, B, BLANK, B, A},
                {B, B, A, BLANK, B},
        };
        INDArray mask = Frames.mask(5, 3, 5);
        List<CtcHypothesis> decoded = new CtcGreedyDecoder().decode(Frames.ncw(frames), mask);
        assertArrayEquals(new int[]{1, 2}, decoded.get(0).labels());
        assertEquals(3 * Math.log(0.7), decoded.get(0).logScore(), 1e-12);
        assertArrayEquals(new int[]{2, 1, 2}, decoded.get(1).labels());
        assertEquals(5 * Math.log(0.7), decoded.get(1).logScore(), 1e-12);

        List<CtcHypothesis> noFrames = new CtcGreedyDecoder().decode(Frames.ncw(frames), Frames.mask(5, 0, 1));
        assertEquals(0, noFrames.get(0).length());
        assertEquals(0.0, noFrames.get(0).logScore());
        assertArrayEquals(new int[]{2}, noFrames.get(1).labels());
    }

    @Test
    void nwcInputAndANonZeroBlankGiveTheSameLabelling() {
        double[][][] frames = {{A, A, BLANK, A, B}};
        assertArrayEquals(new int[]{1, 1, 2},
                new CtcGreedyDecoder(0, RNNFormat.NWC).decode(Frames.nwc(frames), null).get(0).labels());
        // With class 2 as blank, "b" frames are blanks and class 0 is an ordinary label.
        assertArrayEquals(new int[]{1, 0, 1},
                new CtcGreedyDecoder(2, RNNFormat.NCW).decode(Frames.ncw(frames), null).get(0).labels());
    }

    @Test
    void lowestClassWinsATieAndHalfPrecisionIsAccepted() {
        double[][][] frames = {{{0.1, 0.45, 0.45}}};
        INDArray half = Frames.ncw(frames).castTo(DataType.HALF);
        assertArrayEquals(new int[]{1}, new CtcGreedyDecoder().decode(half, null).get(0).labels());
    }

    @Test
    void decodeTextUsesTheVocabulary() {
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("ab");
        double[][][] frames = {{B, A, BLANK, A}, {BLANK, BLANK, BLANK, BLANK}};
        assertEquals(List.of("baa", ""), new CtcGreedyDecoder().decodeText(Frames.ncw(frames), null, vocab));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> new CtcGreedyDecoder().decodeText(Frames.ncw(frames), null, CtcVocabulary.ofCharacters("abc")));
        assertTrue(tooMany.getMessage().contains("C = 3"), tooMany.getMessage());
    }

    @Test
    void badInputIsRejectedNamingTheArgument() {
        CtcGreedyDecoder decoder = new CtcGreedyDecoder();
        INDArray good = Frames.ncw(new double[][][]{{A, B}});

        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> decoder.decode(Nd4j.ones(DataType.FLOAT, 3, 2), null));
        assertTrue(rank.getMessage().contains("probabilities") && rank.getMessage().contains("[3, 2]"),
                rank.getMessage());
        IllegalArgumentException mask = assertThrows(IllegalArgumentException.class,
                () -> decoder.decode(good, Nd4j.ones(DataType.FLOAT, 1, 3)));
        assertTrue(mask.getMessage().contains("featuresMask") && mask.getMessage().contains("[1, 2]"),
                mask.getMessage());
        IllegalArgumentException logProbs = assertThrows(IllegalArgumentException.class,
                () -> decoder.decode(Frames.ncw(new double[][][]{{{-0.1, -2, -3}}}), null));
        assertTrue(logProbs.getMessage().contains("-0.1"), logProbs.getMessage());
        IllegalArgumentException zeroFrame = assertThrows(IllegalArgumentException.class,
                () -> decoder.decode(Frames.ncw(new double[][][]{{A, {0, 0, 0}}}), null));
        assertTrue(zeroFrame.getMessage().contains("frame 1"), zeroFrame.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> new CtcGreedyDecoder(3, RNNFormat.NCW).decode(good, null));
        assertTrue(blank.getMessage().contains("blankIndex = 3"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CtcGreedyDecoder(-1, RNNFormat.NCW));
        assertThrows(IllegalArgumentException.class,
                () -> decoder.decode(good.castTo(DataType.INT), null));

        // A zero frame past the mask is fine: that is how a masked layer output looks.
        List<CtcHypothesis> masked = decoder.decode(Frames.ncw(new double[][][]{{A, {0, 0, 0}}}), Frames.mask(2, 1));
        assertArrayEquals(new int[]{1}, masked.get(0).labels());
    }
}
