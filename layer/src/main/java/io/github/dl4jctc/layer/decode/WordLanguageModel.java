package io.github.dl4jctc.layer.decode;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonValue;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A word n-gram language model in back-off form, as stored in an ARPA file (the text format of KenLM, SRILM and
 * others): per n-gram a log10 probability and, below the highest order, a log10 back-off weight.
 *
 * <p>Make one with {@link #readArpa(Path)} or estimate one from sentences with {@link #estimate} (interpolated
 * modified Kneser-Ney, {@link KneserNeyEstimator}); {@link #writeArpa} writes it for KenLM and other tools. Queries
 * follow the ARPA back-off rule: {@code log10 P(w | h) = log10 p(h w)} if the n-gram {@code h w} is listed, else
 * {@code log10 bow(h) + log10 P(w | h')} with {@code h'} the history without its oldest word (bow 0 for a history
 * that is not listed). Words outside the vocabulary are scored as {@code <unk>}; a file without {@code <unk>} gets
 * one with log10 probability -100, as KenLM does. N-grams are held in open-addressing hash tables of word ids.
 *
 * <p>Immutable and thread-safe. Serialisable with Java serialisation and with Jackson (as its ARPA text).
 */
public final class WordLanguageModel implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Sentence start: a history word, never predicted. */
    public static final String SENTENCE_START = "<s>";
    /** Sentence end: predicted after the last word. */
    public static final String SENTENCE_END = "</s>";
    /** Stands for every word outside the vocabulary. */
    public static final String UNKNOWN = "<unk>";
    /** What KenLM substitutes for a missing {@code <unk>}: log10 probability -100. */
    static final double MISSING_UNKNOWN_LOG10 = -100;

    private final String[] words;
    private final double[] unigramLog10;
    private final double[] unigramBackoff;
    /** Index m - 2 holds order m, for m = 2 .. order. */
    private final NGramTable[] tables;
    private transient volatile Map<String, Integer> ids;

    WordLanguageModel(String[] words, double[] unigramLog10, double[] unigramBackoff, NGramTable[] tables) {
        this.words = words;
        this.unigramLog10 = unigramLog10;
        this.unigramBackoff = unigramBackoff;
        this.tables = tables;
    }

    // ---------------------------------------------------------------------------------------------- creation

    /**
     * Reads an ARPA file (UTF-8).
     *
     * @throws IllegalArgumentException if the file is malformed (with line number and reason)
     * @throws UncheckedIOException     if it cannot be read
     */
    public static WordLanguageModel readArpa(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file: got null, expected the path of an ARPA file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return ArpaFormat.read(reader, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read ARPA file " + file, e);
        }
    }

    /**
     * Reads ARPA text.
     *
     * @param source a name for error messages (e.g. the file name)
     * @throws IllegalArgumentException if the text is malformed (with line number and reason)
     */
    public static WordLanguageModel readArpa(Reader reader, String source) {
        if (reader == null) {
            throw new IllegalArgumentException("reader: got null, expected ARPA text");
        }
        try {
            return ArpaFormat.read(reader, source == null ? "ARPA text" : source);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + source, e);
        }
    }

    /** Jackson's way back from {@link #toArpa()}. */
    @JsonCreator
    static WordLanguageModel fromArpa(String arpa) {
        return readArpa(new StringReader(arpa), "ARPA text");
    }

    /**
     * Estimates an interpolated modified Kneser-Ney model (Chen and Goodman; the method of KenLM's {@code lmplz})
     * from sentences, see {@link KneserNeyEstimator} for the exact definition.
     *
     * @param sentences training sentences, words separated by whitespace; each gets {@code <s>} and {@code </s>}
     * @param order     n, in {@code [1, 9]}
     * @throws IllegalArgumentException on a null list or sentence, no words at all, an order out of range, or a
     *                                  sentence holding {@code <s>}, {@code </s>} or {@code <unk>}
     */
    public static WordLanguageModel estimate(List<String> sentences, int order) {
        return KneserNeyEstimator.estimate(sentences, order);
    }

    // ---------------------------------------------------------------------------------------------- queries

    /** @return n, the highest order */
    public int order() {
        return tables.length + 1;
    }

    /** @return the number of words (unigrams), {@code <s>}, {@code </s>} and {@code <unk>} included */
    public int vocabularySize() {
        return words.length;
    }

    /** @return the words (unigrams) in file order */
    public List<String> vocabulary() {
        return List.of(words);
    }

    /** @return the number of n-grams of order m, in {@code [1, order()]} */
    public int ngramCount(int m) {
        if (m < 1 || m > order()) {
            throw new IllegalArgumentException("m: got " + m + ", expected an order in [1, " + order() + "]");
        }
        return m == 1 ? words.length : tables[m - 2].size();
    }

    /** @return whether the word is a unigram of the model */
    public boolean contains(String word) {
        return idMap().containsKey(word);
    }

    /**
     * @param history the preceding words, oldest first (only the last {@code order() - 1} matter); start with
     *                {@code <s>} for the beginning of a sentence
     * @param word    the word predicted ({@code </s>} for the end of the sentence)
     * @return log10 P(word | history) by the back-off rule (unknown words as {@code <unk>})
     */
    public double log10Probability(List<String> history, String word) {
        if (history == null || word == null) {
            throw new IllegalArgumentException((history == null ? "history" : "word")
                    + ": got null, expected " + (history == null ? "a list of words (possibly empty)" : "a word"));
        }
        int[] context = new int[history.size()];
        for (int i = 0; i < context.length; i++) {
            context[i] = idOrUnknown(history.get(i));
        }
        return log10(context, 0, context.length, idOrUnknown(word));
    }

    /**
     * @param sentence   words separated by whitespace
     * @param boundaries whether the sentence starts after {@code <s>} and {@code </s>} is predicted at its end
     * @return log10 P(sentence), the sum of the words' {@link #log10Probability}
     */
    public double log10Probability(String sentence, boolean boundaries) {
        if (sentence == null) {
            throw new IllegalArgumentException("sentence: got null, expected words separated by whitespace");
        }
        String trimmed = sentence.trim();
        List<String> tokens = new ArrayList<>(trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+")));
        if (boundaries) {
            tokens.add(0, SENTENCE_START);
            tokens.add(SENTENCE_END);
        }
        int[] ids = tokens.stream().mapToInt(this::idOrUnknown).toArray();
        double total = 0;
        for (int i = boundaries ? 1 : 0; i < ids.length; i++) {
            total += log10(ids, 0, i, ids[i]);
        }
        return total;
    }

    /**
     * @return the index of a word for {@link #log10Probability(int[], int)}: its position among the unigrams, or
     *         the index of {@code <unk>} for a word outside the vocabulary
     */
    public int wordIndex(String word) {
        if (word == null) {
            throw new IllegalArgumentException("word: got null, expected a word");
        }
        return idOrUnknown(word);
    }

    /**
     * The fast form of {@link #log10Probability(List, String)}, without string lookups.
     *
     * @param history word indices ({@link #wordIndex}), oldest first; only the last {@code order() - 1} matter
     * @param word    the index of the predicted word
     * @return log10 P(word | history)
     * @throws IllegalArgumentException on an index outside {@code [0, vocabularySize())}
     */
    public double log10Probability(int[] history, int word) {
        if (history == null) {
            throw new IllegalArgumentException("history: got null, expected word indices (possibly none)");
        }
        checkIndex("word", word);
        for (int i = Math.max(0, history.length - tables.length); i < history.length; i++) {
            checkIndex("history[" + i + "]", history[i]);
        }
        return log10(history, 0, history.length, word);
    }

    private void checkIndex(String name, int index) {
        if (index < 0 || index >= words.length) {
            throw new IllegalArgumentException(name + ": got " + index + ", expected a word index in [0, "
                    + words.length + ")");
        }
    }

    /** @return the word's id, or -1 if it is not a unigram */
    int id(String word) {
        Integer id = idMap().get(word);
        return id == null ? -1 : id;
    }

    int idOrUnknown(String word) {
        int id = id(word);
        return id >= 0 ? id : id(UNKNOWN);
    }

    String word(int id) {
        return words[id];
    }

    /**
     * log10 P(word | context[from .. from + length)) by the back-off rule, with word ids; only the last
     * {@code order() - 1} context words are used.
     */
    double log10(int[] context, int from, int length, int word) {
        int usable = Math.min(length, tables.length);
        from += length - usable;
        double backoff = 0;
        for (int k = usable; k >= 1; k--) {
            int start = from + usable - k;
            NGramTable table = tables[k - 1];
            int slot = table.find(context, start, k, word);
            if (slot >= 0) {
                return backoff + table.probability(slot);
            }
            if (k == 1) {
                backoff += unigramBackoff[context[start]];
            } else {
                int historySlot = tables[k - 2].find(context, start, k, -1);
                if (historySlot >= 0) {
                    backoff += tables[k - 2].backoff(historySlot);
                }
            }
        }
        return backoff + unigramLog10[word];
    }

    private Map<String, Integer> idMap() {
        Map<String, Integer> map = ids;
        if (map == null) {
            map = new HashMap<>(words.length * 2);
            for (int i = 0; i < words.length; i++) {
                map.put(words[i], i);
            }
            ids = map;
        }
        return map;
    }

    // ---------------------------------------------------------------------------------------------- writing

    /** Writes the model as an ARPA file (UTF-8); values are written exactly (shortest round-trip decimals). */
    public void writeArpa(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file: got null, expected a path to write the ARPA file to");
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeArpa(writer);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write ARPA file " + file, e);
        }
    }

    /** Writes the model as ARPA text; the writer is flushed, not closed. */
    public void writeArpa(Writer writer) throws IOException {
        if (writer == null) {
            throw new IllegalArgumentException("writer: got null, expected a Writer for the ARPA text");
        }
        BufferedWriter out = new BufferedWriter(writer);
        ArpaFormat.write(this, out);
        out.flush();
    }

    /** @return the model as ARPA text (also its Jackson form) */
    @JsonValue
    public String toArpa() {
        StringWriter text = new StringWriter();
        try {
            writeArpa(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    String[] words() {
        return words;
    }

    double unigramLog10(int id) {
        return unigramLog10[id];
    }

    double unigramBackoff(int id) {
        return unigramBackoff[id];
    }

    NGramTable table(int m) {
        return tables[m - 2];
    }

    @Override
    public String toString() {
        StringBuilder counts = new StringBuilder();
        for (int m = 1; m <= order(); m++) {
            counts.append(m == 1 ? "" : ", ").append(ngramCount(m));
        }
        return "WordLanguageModel(order=" + order() + ", ngrams=[" + counts + "])";
    }
}
