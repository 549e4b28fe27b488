package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both decoders against every malformed input the per-decoder tests leave out: non-finite probabilities (NaN,
 * +inf: not a probability, so refused rather than decoded into a NaN score), nulls, masks that are not 0/1
 * prefixes, a blank index far outside the classes. A valid call afterwards decodes as before.
 */
class CtcDecoderBadInputTest {
    private static final double[] A = {0.1, 0.8, 0.1};
    private static final double[] B = {0.1, 0.1, 0.8};
    private static final INDArray GOOD = Frames.ncw(new double[][][]{{A, B, B}, {B, A, A}});

    static Stream<Arguments> decoders() {
        return Stream.of(Arguments.of("greedy", new CtcGreedyDecoder()),
                Arguments.of("beam", new CtcBeamSearchDecoder.Builder().beamWidth(4).build()));
    }

    static List<Arguments> badInputs() {
        return List.of(
                Arguments.of("NaN", Frames.ncw(new double[][][]{{A, {0.1, Double.NaN, 0.1}, B}, {B, A, A}}), null,
                        new String[]{"probabilities", "NaN", "sample 0, frame 1, class 1"}),
                Arguments.of("+inf", Frames.ncw(new double[][][]{{A, B, B}, {B, A, {0, 0, Double.POSITIVE_INFINITY}}}),
                        null, new String[]{"probabilities", "Infinity", "sample 1, frame 2, class 2"}),
                Arguments.of("null probabilities", null, null, new String[]{"probabilities", "null"}),
                Arguments.of("mask 0.5", GOOD, Nd4j.createFromArray(new float[][]{{1, 1, 1}, {1, 0.5f, 0}}),
                        new String[]{"featuresMask", "0.5"}),
                Arguments.of("mask with a hole", GOOD, Nd4j.createFromArray(new float[][]{{1, 0, 1}, {1, 1, 1}}),
                        new String[]{"featuresMask", "example 0"}),
                Arguments.of("mask [N, T + 1]", GOOD, Nd4j.ones(DataType.FLOAT, 2, 4),
                        new String[]{"featuresMask", "[2, 3]", "[2, 4]"}),
                Arguments.of("rank 4", GOOD.reshape(2, 3, 3, 1), null, new String[]{"probabilities", "rank 3"}));
    }

    static Stream<Arguments> decodersAndBadInputs() {
        return decoders().flatMap(d -> badInputs().stream()
                .map(b -> Arguments.of(d.get()[0] + ": " + b.get()[0], d.get()[1], b.get()[1], b.get()[2], b.get()[3])));
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)   // INDArrays are AutoCloseable
    @MethodSource("decodersAndBadInputs")
    void refusedNamingTheArgumentAndTheNextCallIsUnaffected(String what, CtcDecoder decoder, INDArray probabilities,
                                                            INDArray mask, String[] mustMention) {
        List<CtcHypothesis> before = decoder.decode(GOOD, null);
        refused(() -> decoder.decode(probabilities, mask), mustMention);
        assertEquals(before, decoder.decode(GOOD, null));
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)   // INDArrays are AutoCloseable
    @MethodSource("decoders")
    void nullsAndHugeBlankIndicesAreRefused(String what, CtcDecoder decoder) {
        refused(() -> decoder.decodeText(GOOD, null, null), "vocabulary", "null");
        CtcDecoder hugeBlank = decoder instanceof CtcGreedyDecoder
                ? new CtcGreedyDecoder(Integer.MAX_VALUE, RNNFormat.NCW)
                : new CtcBeamSearchDecoder.Builder().blankIndex(Integer.MAX_VALUE).build();
        refused(() -> hugeBlank.decode(GOOD, null), "blankIndex = 2147483647", "C = 3");
        refused(() -> decoder.decodeText(GOOD, null, CtcVocabulary.ofCharacters("abcd")), "C = 3",
                "vocabulary.size() = 5");
    }

    @org.junit.jupiter.api.Test
    void nullConfigurationIsRefused() {
        refused(() -> new CtcGreedyDecoder(0, null), "format", "null");
        refused(() -> new CtcBeamSearchDecoder.Builder().format(null), "format", "null");
        refused(() -> new CtcHypothesis(null, 0.0), "labels", "null");
        refused(() -> CharNGramLanguageModel.train(null, CtcVocabulary.ofCharacters("ab"), 2, 1.0), "texts", "null");
        refused(() -> CharNGramLanguageModel.train(List.of("ab"), null, 2, 1.0), "vocabulary", "null");
    }

    private static void refused(Executable call, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String s : mustMention) {
            assertTrue(e.getMessage().contains(s), "message '" + e.getMessage() + "' should mention '" + s + "'");
        }
    }
}
