package io.github.dl4jctc.layer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The class set of a CTC output layer: tokens (characters or whole tokens) plus one blank class.
 *
 * <p>Class indices run over {@code 0 .. size()-1}; one of them, {@link #blankIndex()}, is the CTC blank and has no
 * text. {@link #size()} is therefore the {@code nOut} of the output layer.
 *
 * <ul>
 *   <li>A <em>character</em> vocabulary ({@link #ofCharacters}) encodes text one character (Unicode code point) per
 *       label; {@link #decode} concatenates.</li>
 *   <li>A <em>token</em> vocabulary ({@link #ofTokens}) encodes text split on single spaces, one token per label;
 *       {@link #decode} joins with a single space.</li>
 * </ul>
 *
 * <p>{@link #toLabels} builds the labels and labels mask of a DataSet ({@code [N, S]}, class indices stored as
 * numbers of the requested floating type); {@link #fromLabels} turns them back into text.
 *
 * <p>Immutable, {@link Serializable}, and serialisable with DL4J's (shaded) Jackson mapper, which reads fields.
 */
public final class CtcVocabulary implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The tokens in class order, blank excluded. */
    @JsonProperty("tokens")
    private List<String> tokens;
    @JsonProperty("blankIndex")
    private int blankIndex;
    /** True: text is split into characters; false: text is split on single spaces. */
    @JsonProperty("characterLevel")
    private boolean characterLevel;

    /** Token -> class index; rebuilt on first use after Java or Jackson deserialisation. */
    private transient Map<String, Integer> indexByToken;

    private CtcVocabulary() {
        // for Jackson
    }

    private CtcVocabulary(List<String> tokens, int blankIndex, boolean characterLevel) {
        this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
        this.blankIndex = blankIndex;
        this.characterLevel = characterLevel;
    }

    /**
     * A character vocabulary: blank is class 0, the characters of {@code characters} are classes {@code 1..n} in
     * the order given.
     *
     * @param characters the distinct characters (Unicode code points), at least one
     * @throws IllegalArgumentException if {@code characters} is null or empty or contains a character twice
     */
    public static CtcVocabulary ofCharacters(String characters) {
        if (characters == null || characters.isEmpty()) {
            throw new IllegalArgumentException("characters: got "
                    + (characters == null ? "null" : "an empty string") + ", expected at least one character");
        }
        List<String> tokens = new ArrayList<>();
        Map<String, Integer> firstPosition = new HashMap<>();
        for (int offset = 0; offset < characters.length(); ) {
            int codePoint = characters.codePointAt(offset);
            String character = new String(Character.toChars(codePoint));
            Integer earlier = firstPosition.putIfAbsent(character, offset);
            if (earlier != null) {
                throw new IllegalArgumentException("characters: got " + describe(character) + " at positions "
                        + earlier + " and " + offset + " of \"" + characters + "\", expected distinct characters");
            }
            tokens.add(character);
            offset += Character.charCount(codePoint);
        }
        return new CtcVocabulary(tokens, 0, true);
    }

    /**
     * A token vocabulary: {@code tokens} (blank excluded) keep their order, and the blank class is inserted at
     * {@code blankIndex}, shifting the tokens from there on by one.
     *
     * @param tokens     distinct, non-empty tokens without whitespace (text is split on single spaces), at least one
     * @param blankIndex the blank's class index, in {@code [0, tokens.size()]}
     * @throws IllegalArgumentException if a token is null, empty, contains whitespace or is repeated, or if
     *                                  {@code blankIndex} is out of range
     */
    public static CtcVocabulary ofTokens(List<String> tokens, int blankIndex) {
        if (tokens == null || tokens.isEmpty()) {
            throw new IllegalArgumentException("tokens: got " + (tokens == null ? "null" : "an empty list")
                    + ", expected at least one token");
        }
        if (blankIndex < 0 || blankIndex > tokens.size()) {
            throw new IllegalArgumentException("blankIndex: got " + blankIndex + ", expected an index in [0, "
                    + tokens.size() + "] (tokens.size() = " + tokens.size() + ")");
        }
        Map<String, Integer> firstPosition = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException("tokens[" + i + "]: got " + (token == null ? "null" : "\"\"")
                        + ", expected a non-empty string");
            }
            if (token.codePoints().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("tokens[" + i + "]: got \"" + token + "\", expected no"
                        + " whitespace (text is split on spaces)");
            }
            Integer earlier = firstPosition.putIfAbsent(token, i);
            if (earlier != null) {
                throw new IllegalArgumentException("tokens: got \"" + token + "\" at positions " + earlier + " and "
                        + i + ", expected distinct tokens");
            }
        }
        return new CtcVocabulary(tokens, blankIndex, false);
    }

    /** @return the number of classes, blank included (the {@code nOut} of the CTC output layer) */
    public int size() {
        return tokens.size() + 1;
    }

    /** @return the class index of the CTC blank */
    public int blankIndex() {
        return blankIndex;
    }

    /** @return true for a character vocabulary ({@link #ofCharacters}), false for a token vocabulary */
    public boolean isCharacterLevel() {
        return characterLevel;
    }

    /**
     * @param token a character (character vocabulary) or token (token vocabulary)
     * @return its class index (never the blank index)
     * @throws IllegalArgumentException if the token is not in the vocabulary
     */
    public int indexOf(String token) {
        Integer index = indexByToken().get(token);
        if (index == null) {
            throw new IllegalArgumentException("token: got " + (token == null ? "null" : describe(token))
                    + ", expected a token of the vocabulary " + this);
        }
        return index;
    }

    /**
     * @param index a class index other than the blank, in {@code [0, size())}
     * @return the character or token of that class
     * @throws IllegalArgumentException if {@code index} is the blank index or out of range
     */
    public String tokenAt(int index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException("index: got " + index + ", expected a class index in [0, " + size()
                    + ")");
        }
        if (index == blankIndex) {
            throw new IllegalArgumentException("index: got the blank index " + index
                    + ", expected a class index with a token");
        }
        return tokens.get(index < blankIndex ? index : index - 1);
    }

    /**
     * Encodes text into class indices: one per character (character vocabulary) or one per token of
     * {@code text.split(" ")} (token vocabulary). The empty string encodes to an empty array.
     *
     * @throws IllegalArgumentException naming the unknown character or token and its position in {@code text}
     */
    public int[] encode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text: got null, expected a string (\"\" encodes to no labels)");
        }
        if (text.isEmpty()) {
            return new int[0];
        }
        Map<String, Integer> index = indexByToken();
        List<Integer> encoded = new ArrayList<>();
        if (characterLevel) {
            for (int offset = 0; offset < text.length(); ) {
                int codePoint = text.codePointAt(offset);
                String character = new String(Character.toChars(codePoint));
                Integer classIndex = index.get(character);
                if (classIndex == null) {
                    throw new IllegalArgumentException("text: got " + describe(character) + " at position " + offset
                            + " of \"" + text + "\", expected characters of the vocabulary " + this);
                }
                encoded.add(classIndex);
                offset += Character.charCount(codePoint);
            }
        } else {
            String[] parts = text.split(" ", -1);
            for (int i = 0; i < parts.length; i++) {
                Integer classIndex = index.get(parts[i]);
                if (classIndex == null) {
                    throw new IllegalArgumentException("text: got token \"" + parts[i] + "\" at token position " + i
                            + " of \"" + text + "\", expected tokens of the vocabulary " + this
                            + " separated by single spaces");
                }
                encoded.add(classIndex);
            }
        }
        return encoded.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The inverse of {@link #encode}: concatenates characters, or joins tokens with a single space.
     *
     * @throws IllegalArgumentException if an index is the blank index or out of range (naming its position)
     */
    public String decode(int[] indices) {
        if (indices == null) {
            throw new IllegalArgumentException("indices: got null, expected class indices");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size() || indices[i] == blankIndex) {
                throw new IllegalArgumentException("indices[" + i + "]: got " + indices[i]
                        + ", expected a class index in [0, " + size() + ") other than the blank " + blankIndex);
            }
            if (!characterLevel && i > 0) {
                text.append(' ');
            }
            text.append(tokenAt(indices[i]));
        }
        return text.toString();
    }

    /**
     * Builds CTC labels for a DataSet.
     *
     * @param texts    N texts, each encodable with {@link #encode}
     * @param dataType the type of both arrays; must represent every class index exactly (e.g. FLOAT, DOUBLE; HALF up
     *                 to 2049 classes, BFLOAT16 up to 257)
     * @return labels {@code [N, S]} holding class indices (positions past a text's length hold the blank index) and
     *         mask {@code [N, S]} (1 for the first {@code length} positions, then 0), where S is the longest encoded
     *         length, at least 1
     * @throws IllegalArgumentException if {@code texts} is empty, a text cannot be encoded, or {@code dataType}
     *                                  cannot hold the class indices
     */
    public LabelBatch toLabels(List<String> texts, DataType dataType) {
        if (texts == null || texts.isEmpty()) {
            throw new IllegalArgumentException("texts: got " + (texts == null ? "null" : "an empty list")
                    + ", expected at least one text");
        }
        if (dataType == null) {
            throw new IllegalArgumentException("dataType: got null, expected a numeric type such as FLOAT");
        }
        long largestExact = largestExactInteger(dataType);
        if (largestExact < size() - 1) {
            throw new IllegalArgumentException("dataType: got " + dataType + (largestExact < 0 ? " (not numeric)"
                    : " (exact only up to " + largestExact + ")") + ", expected a type that represents every class"
                    + " index up to " + (size() - 1) + " exactly");
        }
        int[][] encoded = new int[texts.size()][];
        int maxLength = 1;
        for (int n = 0; n < texts.size(); n++) {
            try {
                encoded[n] = encode(texts.get(n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("texts[" + n + "]: " + e.getMessage(), e);
            }
            maxLength = Math.max(maxLength, encoded[n].length);
        }
        double[][] labels = new double[texts.size()][maxLength];
        double[][] mask = new double[texts.size()][maxLength];
        for (int n = 0; n < encoded.length; n++) {
            Arrays.fill(labels[n], blankIndex);
            for (int s = 0; s < encoded[n].length; s++) {
                labels[n][s] = encoded[n][s];
                mask[n][s] = 1.0;
            }
        }
        return new LabelBatch(Nd4j.createFromArray(labels).castTo(dataType),
                Nd4j.createFromArray(mask).castTo(dataType));
    }

    /**
     * Turns CTC labels back into text.
     *
     * @param labels     {@code [N, S]} or {@code [N, 1, S]} class indices (integral values)
     * @param labelsMask {@code [N, S]} of 1s followed by 0s giving each target's length, or null for all S
     * @return N texts
     * @throws IllegalArgumentException on wrong shapes, a mask that is not 0/1 or not a prefix, or an unmasked label
     *                                  that is not an integral non-blank class index
     */
    public List<String> fromLabels(INDArray labels, INDArray labelsMask) {
        int[][] sequences = LabelArrays.toSequences(labels, labelsMask, "labelsMask", -1, size(), blankIndex, "");
        List<String> texts = new ArrayList<>(sequences.length);
        for (int[] sequence : sequences) {
            texts.add(decode(sequence));
        }
        return texts;
    }

    private Map<String, Integer> indexByToken() {
        Map<String, Integer> index = indexByToken;
        if (index == null) {
            index = new HashMap<>();
            for (int i = 0; i < tokens.size(); i++) {
                index.put(tokens.get(i), i < blankIndex ? i : i + 1);
            }
            indexByToken = index;
        }
        return index;
    }

    /** The largest n such that all integers 0..n are exact in {@code dataType}; -1 if it is not numeric. */
    private static long largestExactInteger(DataType dataType) {
        switch (dataType) {
            case DOUBLE: case LONG: case UINT64: return 1L << 53;   // capped: all we need is "large"
            case FLOAT: case INT: case UINT32: return 1L << 24;
            case HALF: return 2048;
            case BFLOAT16: return 256;
            case SHORT: return Short.MAX_VALUE;
            case UINT16: return 65535;
            case BYTE: return Byte.MAX_VALUE;
            case UBYTE: return 255;
            default: return -1;
        }
    }

    private static String describe(String character) {
        int codePoint = character.codePointAt(0);
        return "'" + character + "' (U+" + String.format("%04X", codePoint) + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CtcVocabulary)) {
            return false;
        }
        CtcVocabulary other = (CtcVocabulary) o;
        return blankIndex == other.blankIndex && characterLevel == other.characterLevel && tokens.equals(other.tokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tokens, blankIndex, characterLevel);
    }

    @Override
    public String toString() {
        int shown = Math.min(tokens.size(), 40);
        String listed = String.join(characterLevel ? "" : " ", tokens.subList(0, shown))
                + (shown < tokens.size() ? "..." : "");
        return "CtcVocabulary(" + (characterLevel ? "characters \"" : "tokens [") + listed
                + (characterLevel ? "\"" : "]") + ", blank=" + blankIndex + ", size=" + size() + ")";
    }

    /**
     * CTC labels of a minibatch, as built by {@link #toLabels}.
     *
     * @param labels {@code [N, S]} class indices
     * @param mask   {@code [N, S]} 1 for the target's positions, 0 for padding
     */
    public record LabelBatch(INDArray labels, INDArray mask) {
        public LabelBatch {
            if (labels == null || mask == null) {
                throw new IllegalArgumentException((labels == null ? "labels" : "mask") + ": got null, expected an"
                        + " [N, S] array");
            }
        }
    }
}
