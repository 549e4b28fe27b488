package io.github.dl4jctc.layer;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.serde.json.JsonMappers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CtcVocabularyTest {

    @Test
    void characterVocabularyPutsBlankFirstAndCharactersInOrder() {
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("abc ");
        assertEquals(5, vocab.size());
        assertEquals(0, vocab.blankIndex());
        assertEquals(1, vocab.indexOf("a"));
        assertEquals(4, vocab.indexOf(" "));
        assertEquals("c", vocab.tokenAt(3));
        assertArrayEquals(new int[]{3, 1, 2, 4, 1}, vocab.encode("cab a"));
        assertEquals("cab a", vocab.decode(new int[]{3, 1, 2, 4, 1}));
        assertArrayEquals(new int[0], vocab.encode(""));
        assertEquals("", vocab.decode(new int[0]));
    }

    @Test
    void characterVocabularyHandlesCharactersOutsideTheBasicPlane() {
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("x\uD83D\uDE00y"); // x, U+1F600, y
        assertEquals(4, vocab.size());
        assertArrayEquals(new int[]{3, 2, 1}, vocab.encode("y\uD83D\uDE00x"));
        assertEquals("y\uD83D\uDE00x", vocab.decode(new int[]{3, 2, 1}));
    }

    @Test
    void tokenVocabularyInsertsBlankAndSplitsOnSpaces() {
        CtcVocabulary vocab = CtcVocabulary.ofTokens(List.of("yes", "no", "maybe"), 2);
        assertEquals(4, vocab.size());
        assertEquals(2, vocab.blankIndex());
        assertEquals(0, vocab.indexOf("yes"));
        assertEquals(1, vocab.indexOf("no"));
        assertEquals(3, vocab.indexOf("maybe"));
        assertArrayEquals(new int[]{3, 0, 0}, vocab.encode("maybe yes yes"));
        assertEquals("maybe yes yes", vocab.decode(new int[]{3, 0, 0}));

        CtcVocabulary blankLast = CtcVocabulary.ofTokens(List.of("a", "b"), 2);
        assertEquals(2, blankLast.blankIndex());
        assertEquals("b", blankLast.tokenAt(1));
    }

    @Test
    void badConstructionArgumentsAreRejectedWithTheirValue() {
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> CtcVocabulary.ofCharacters("abca"));
        assertTrue(duplicate.getMessage().contains("'a'") && duplicate.getMessage().contains("0 and 3"),
                duplicate.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CtcVocabulary.ofCharacters(""));
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> CtcVocabulary.ofTokens(List.of("a", "b"), 3));
        assertTrue(blank.getMessage().contains("blankIndex") && blank.getMessage().contains("3"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CtcVocabulary.ofTokens(List.of("a", "b"), -1));
        assertThrows(IllegalArgumentException.class, () -> CtcVocabulary.ofTokens(List.of("a", "a"), 0));
        assertThrows(IllegalArgumentException.class, () -> CtcVocabulary.ofTokens(List.of("a b"), 0));
        assertThrows(IllegalArgumentException.class, () -> CtcVocabulary.ofTokens(List.of(), 0));
    }

    @Test
    void unknownTokensAndBadIndicesAreNamed() {
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("ab");
        IllegalArgumentException unknownChar = assertThrows(IllegalArgumentException.class, () -> vocab.encode("abxa"));
        assertTrue(unknownChar.getMessage().contains("'x'") && unknownChar.getMessage().contains("position 2"),
                unknownChar.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> vocab.indexOf("z"));
        assertTrue(unknown.getMessage().contains("'z'"), unknown.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> vocab.tokenAt(0));
        assertTrue(blank.getMessage().contains("blank"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> vocab.tokenAt(3));
        IllegalArgumentException decodeBlank = assertThrows(IllegalArgumentException.class,
                () -> vocab.decode(new int[]{1, 0}));
        assertTrue(decodeBlank.getMessage().contains("indices[1]"), decodeBlank.getMessage());

        CtcVocabulary tokens = CtcVocabulary.ofTokens(List.of("on", "off"), 0);
        IllegalArgumentException unknownToken = assertThrows(IllegalArgumentException.class,
                () -> tokens.encode("on up off"));
        assertTrue(unknownToken.getMessage().contains("\"up\"") && unknownToken.getMessage().contains("position 1"),
                unknownToken.getMessage());
        // Two spaces make an empty token, which is not silently skipped.
        assertThrows(IllegalArgumentException.class, () -> tokens.encode("on  off"));
    }

    @Test
    void nullsAndUnknownCharactersInABatchAreRefusedNamingThem() {
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("abc");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> vocab.toLabels(List.of("abc", "cab", "ca\u00e9b"), DataType.FLOAT));
        assertTrue(unknown.getMessage().contains("texts[2]") && unknown.getMessage().contains("U+00E9")
                && unknown.getMessage().contains("position 2"), unknown.getMessage());
        IllegalArgumentException nullText = assertThrows(IllegalArgumentException.class,
                () -> vocab.toLabels(java.util.Arrays.asList("ab", null), DataType.FLOAT));
        assertTrue(nullText.getMessage().contains("texts[1]") && nullText.getMessage().contains("null"),
                nullText.getMessage());
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> vocab.encode(null), () -> vocab.decode(null), () -> vocab.toLabels(List.of("a"), null),
                () -> vocab.fromLabels(null, null), () -> vocab.indexOf(null))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().contains("null"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> vocab.decode(new int[]{1, Integer.MAX_VALUE}));
        assertThrows(IllegalArgumentException.class, () -> vocab.decode(new int[]{-1}));
        assertEquals("cab", vocab.decode(vocab.encode("cab")));
    }

    @Test
    void toLabelsPadsToTheLongestTextAndMasksThePadding() {
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("abc");
        CtcVocabulary.LabelBatch batch = vocab.toLabels(List.of("cab", "", "b"), DataType.FLOAT);
        assertEquals(DataType.FLOAT, batch.labels().dataType());
        assertEquals(DataType.FLOAT, batch.mask().dataType());
        assertArrayEquals(new long[]{3, 3}, batch.labels().shape());
        assertArrayEquals(new float[][]{{3, 1, 2}, {0, 0, 0}, {2, 0, 0}}, batch.labels().toFloatMatrix());
        assertArrayEquals(new float[][]{{1, 1, 1}, {0, 0, 0}, {1, 0, 0}}, batch.mask().toFloatMatrix());

        CtcVocabulary.LabelBatch empty = vocab.toLabels(List.of(""), DataType.DOUBLE);
        assertArrayEquals(new long[]{1, 1}, empty.labels().shape());
        assertEquals(0.0, empty.mask().getDouble(0, 0));
    }

    @Test
    void toLabelsRejectsTypesThatCannotHoldTheIndices() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append((char) ('\u0100' + i));
        }
        CtcVocabulary big = CtcVocabulary.ofCharacters(many.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> big.toLabels(List.of("\u0100"), DataType.BFLOAT16));
        assertTrue(e.getMessage().contains("BFLOAT16") && e.getMessage().contains("300"), e.getMessage());
        assertEquals(1, big.toLabels(List.of("\u0100"), DataType.HALF).labels().getInt(0, 0));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> big.toLabels(List.of("\u0100", "?"), DataType.FLOAT));
        assertTrue(bad.getMessage().startsWith("texts[1]"), bad.getMessage());
    }

    @Test
    void fromLabelsInvertsToLabelsForBothLabelShapes() {
        CtcVocabulary vocab = CtcVocabulary.ofTokens(List.of("up", "down", "left"), 1);
        List<String> texts = List.of("up up down", "left", "");
        CtcVocabulary.LabelBatch batch = vocab.toLabels(texts, DataType.FLOAT);
        assertEquals(texts, vocab.fromLabels(batch.labels(), batch.mask()));
        INDArray labels3d = batch.labels().reshape(3, 1, 3);
        assertEquals(texts, vocab.fromLabels(labels3d, batch.mask()));

        INDArray full = Nd4j.createFromArray(new float[][]{{0, 2}, {3, 3}});
        assertEquals(List.of("up down", "left left"), vocab.fromLabels(full, null));
    }

    @Test
    void fromLabelsRejectsBadArrays() {
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("ab");
        INDArray labels = Nd4j.createFromArray(new float[][]{{1, 2}, {2, 0}});
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> vocab.fromLabels(labels, Nd4j.ones(DataType.FLOAT, 2, 3)));
        assertTrue(shape.getMessage().contains("labelsMask") && shape.getMessage().contains("[2, 3]"),
                shape.getMessage());
        IllegalArgumentException notPrefix = assertThrows(IllegalArgumentException.class,
                () -> vocab.fromLabels(labels, Nd4j.createFromArray(new float[][]{{1, 1}, {0, 1}})));
        assertTrue(notPrefix.getMessage().contains("example 1"), notPrefix.getMessage());
        IllegalArgumentException blankUnmasked = assertThrows(IllegalArgumentException.class,
                () -> vocab.fromLabels(labels, null));
        assertTrue(blankUnmasked.getMessage().contains("example 1, position 1"), blankUnmasked.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> vocab.fromLabels(Nd4j.createFromArray(new float[][]{{1.5f}}), null));
        assertThrows(IllegalArgumentException.class, () -> vocab.fromLabels(Nd4j.ones(DataType.FLOAT, 2, 2, 2), null));
        assertEquals(List.of("ab", "b"),
                vocab.fromLabels(labels, Nd4j.createFromArray(new float[][]{{1, 1}, {1, 0}})));
    }

    @Test
    void survivesJavaAndJacksonSerialisation() throws Exception {
        CtcVocabulary vocab = CtcVocabulary.ofTokens(List.of("x", "y", "z"), 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(vocab);
        }
        CtcVocabulary javaCopy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            javaCopy = (CtcVocabulary) in.readObject();
        }
        assertEquals(vocab, javaCopy);
        assertEquals(3, javaCopy.indexOf("z"));

        String json = JsonMappers.getMapper().writeValueAsString(CtcVocabulary.ofCharacters("hi "));
        CtcVocabulary jsonCopy = JsonMappers.getMapper().readValue(json, CtcVocabulary.class);
        assertEquals(CtcVocabulary.ofCharacters("hi "), jsonCopy);
        assertArrayEquals(new int[]{1, 3, 2}, jsonCopy.encode("h i"));
    }
}
