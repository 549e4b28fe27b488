package io.github.dl4jctc.layer.decode;

import org.junit.jupiter.api.Test;
import org.nd4j.serde.json.JsonMappers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordLanguageModelTest {

    /** A hand-made trigram model; expected values below are worked out by hand from the back-off rule. */
    static final String SMALL_ARPA = String.join("\n",
            "Comment lines before \\data\\ are ignored",
            "\\data\\",
            "ngram 1=5",
            "ngram 2=3",
            "ngram 3=1",
            "",
            "\\1-grams:",
            "-1.0\t<unk>\t0",
            "-99\t<s>\t-0.3",
            "-0.6\t</s>",
            "-0.5\ta\t-0.2",
            "-0.7 b -0.1",
            "",
            "\\2-grams:",
            "-0.2\t<s> a\t-0.05",
            "-0.4\ta b\t-0.15",
            "-0.3\tb </s>",
            "",
            "\\3-grams:",
            "-0.1\t<s> a b",
            "",
            "\\end\\",
            "");

    private static WordLanguageModel small() {
        return WordLanguageModel.readArpa(new StringReader(SMALL_ARPA), "small.arpa");
    }

    @Test
    void queriesFollowTheBackOffRule() {
        WordLanguageModel lm = small();
        assertEquals(3, lm.order());
        assertEquals(List.of(5, 3, 1), List.of(lm.ngramCount(1), lm.ngramCount(2), lm.ngramCount(3)));
        assertEquals(-0.1, lm.log10Probability(List.of("<s>", "a"), "b"), 1e-12);           // listed trigram
        assertEquals(-0.05 - 0.2 - 0.5, lm.log10Probability(List.of("<s>", "a"), "a"), 1e-12);   // bow(<s> a) bow(a)
        assertEquals(-0.15 - 0.3, lm.log10Probability(List.of("a", "b"), "</s>"), 1e-12);   // bow(a b) + p(b </s>)
        assertEquals(-0.4, lm.log10Probability(List.of("b", "a"), "b"), 1e-12);            // "b a" not listed: bow 0
        assertEquals(-0.2 - 1.0, lm.log10Probability(List.of("a"), "zebra"), 1e-12);        // unknown = <unk>
        assertEquals(-0.5, lm.log10Probability(List.of(), "a"), 1e-12);
        assertEquals(-0.4, lm.log10Probability(List.of("b", "b", "b", "a"), "b"), 1e-12);   // only the last 2 count
        // <s> a b </s>: -0.2 - 0.1 - 0.45
        assertEquals(-0.75, lm.log10Probability("a b", true), 1e-12);
        assertEquals(-0.5 - 0.4, lm.log10Probability(" a  b ", false), 1e-12);
    }

    @Test
    void arpaRoundTripIsExactAndReadableAsFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        WordLanguageModel lm = small();
        Path file = dir.resolve("copy.arpa");
        lm.writeArpa(file);
        WordLanguageModel copy = WordLanguageModel.readArpa(file);
        assertEquals(lm.toArpa(), copy.toArpa());
        assertTrue(copy.toArpa().contains("-0.1\t<s> a b\n"), copy.toArpa());
        for (List<String> history : List.of(List.of("<s>", "a"), List.of("a", "b"), List.of("b"), List.<String>of())) {
            for (String word : List.of("a", "b", "</s>", "<unk>", "zebra")) {
                assertEquals(lm.log10Probability(history, word), copy.log10Probability(history, word), 0.0);
            }
        }
        WordLanguageModel estimated = WordLanguageModel.estimate(KneserNeyOracle.CORPUS, 3);
        WordLanguageModel reread = WordLanguageModel.readArpa(new StringReader(estimated.toArpa()), "estimated");
        assertEquals(estimated.toArpa(), reread.toArpa());
        assertEquals(estimated.log10Probability("the cat sat on the log", true),
                reread.log10Probability("the cat sat on the log", true), 0.0);
    }

    @Test
    void aFileWithoutUnknownGetsOneAtMinus100AsKenLmDoes() {
        String arpa = "\\data\\\nngram 1=3\n\n\\1-grams:\n-99 <s>\n-0.3 </s>\n-0.3 a\n\n\\end\\\n";
        WordLanguageModel lm = WordLanguageModel.readArpa(new StringReader(arpa), "no-unk");
        assertEquals(-100, lm.log10Probability(List.of(), "b"), 0.0);
        assertEquals(4, lm.vocabularySize());
    }

    @Test
    void kneserNeyEstimateMatchesTheIndependentOracle() throws IOException {
        WordLanguageModel lm = WordLanguageModel.estimate(KneserNeyOracle.CORPUS, 3);
        Map<String, double[]> arpa = parseArpa(lm.toArpa());
        int ngrams = 0;
        int backoffs = 0;
        int queries = 0;
        for (String line : KneserNeyOracle.expectedLines()) {
            String[] f = line.split("\t");
            switch (f[0]) {
                case "ngram" -> {
                    assertEquals(Double.parseDouble(f[2]), arpa.get(f[1])[0], 1e-12, line);
                    ngrams++;
                }
                case "backoff" -> {
                    assertEquals(Double.parseDouble(f[2]), arpa.get(f[1])[1], 1e-12, line);
                    backoffs++;
                }
                case "query" -> {
                    List<String> history = f[1].isEmpty() ? List.of() : Arrays.asList(f[1].split(" "));
                    assertEquals(Double.parseDouble(f[3]), lm.log10Probability(history, f[2]), 1e-12, line);
                    queries++;
                }
                default -> assertTrue(line.startsWith("#"), line);
            }
        }
        // Every listed n-gram was checked: the oracle lists all seen n-grams; the model adds <s> (-99) and <unk>.
        assertEquals(ngrams + 2, lm.ngramCount(1) + lm.ngramCount(2) + lm.ngramCount(3));
        assertEquals(-99, arpa.get("<s>")[0], 0.0);
        assertTrue(backoffs > 20 && queries == 9, backoffs + " " + queries);
    }

    @Test
    void estimatedProbabilitiesSumToOneAfterAnyHistory() {
        WordLanguageModel lm = WordLanguageModel.estimate(KneserNeyOracle.CORPUS, 3);
        List<String> predicted = new ArrayList<>(lm.vocabulary());
        predicted.remove("<s>");
        List<List<String>> histories = List.of(List.of(), List.of("<s>"), List.of("the"), List.of("<s>", "the"),
                List.of("sat", "on"), List.of("cat", "fish"), List.of("zebra"), List.of("on", "a"));
        for (List<String> history : histories) {
            double sum = 0;
            for (String word : predicted) {
                sum += Math.pow(10, lm.log10Probability(history, word));
            }
            assertEquals(1.0, sum, 1e-12, history.toString());
        }
        WordLanguageModel unigram = WordLanguageModel.estimate(List.of("x y y", "y"), 1);
        assertEquals(1, unigram.order());
        double sum = 0;
        for (String word : List.of("x", "y", "</s>", "<unk>")) {
            sum += Math.pow(10, unigram.log10Probability(List.of("x"), word));
        }
        assertEquals(1.0, sum, 1e-12);
    }

    @Test
    void discountsFollowChenAndGoodmanWithFallbacksForTinyCounts() {
        // t1..t4 = 10, 4, 2, 1: Y = 10 / 18.
        double y = 10.0 / 18;
        double[] d = KneserNeyEstimator.discounts(10, 4, 2, 1);
        assertEquals(1 - 2 * y * 4 / 10, d[0], 1e-15);
        assertEquals(2 - 3 * y * 2 / 4, d[1], 1e-15);
        assertEquals(3 - 4 * y * 1 / 2, d[2], 1e-15);
        assertEquals(List.of(5.0 / 9, 5.0 / 9, 5.0 / 9), box(KneserNeyEstimator.discounts(5, 2, 0, 0)));
        assertEquals(List.of(0.5, 0.5, 0.5), box(KneserNeyEstimator.discounts(3, 0, 1, 1)));
    }

    @Test
    void serialisesWithJavaAndJackson() throws Exception {
        WordLanguageModel lm = WordLanguageModel.estimate(KneserNeyOracle.CORPUS, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(lm);
        }
        WordLanguageModel copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (WordLanguageModel) in.readObject();
        }
        assertEquals(lm.log10Probability("a dog sat", true), copy.log10Probability("a dog sat", true), 0.0);
        String json = JsonMappers.getMapper().writeValueAsString(lm);
        WordLanguageModel fromJson = JsonMappers.getMapper().readValue(json, WordLanguageModel.class);
        assertEquals(lm.toArpa(), fromJson.toArpa());
    }

    @Test
    void malformedArpaIsRefusedWithLineAndReason() {
        assertArpaError(SMALL_ARPA.replace("ngram 2=3", "ngram 2=4"), "line 19", "3 2-grams", "ngram 2=4");
        assertArpaError(SMALL_ARPA.replace("ngram 2=3", "ngram 2=2"), "line 17", "more than 2 2-grams");
        assertArpaError(SMALL_ARPA.replace("-0.4\ta b", "NaN\ta b"), "line 16", "NaN", "finite");
        assertArpaError(SMALL_ARPA.replace("-0.4\ta b", "-0.4x\ta b"), "line 16", "-0.4x", "decimal number");
        assertArpaError(SMALL_ARPA.replace("-0.3\tb </s>", "-0.3\tb c"), "line 17", "\"c\"", "1-grams");
        assertArpaError(SMALL_ARPA.replace("-0.1\t<s> a b", "-0.1\t<s> a b -0.2"), "line 20", "5 fields",
                "highest order has no back-off");
        assertArpaError(SMALL_ARPA.replace("-0.5\ta\t-0.2", "0.5\ta\t-0.2"), "line 11", "0.5", "<= 0");
        assertArpaError(SMALL_ARPA.replace("\\end\\", ""), "end of the text", "\\end\\");
        assertArpaError(SMALL_ARPA.replace("\\2-grams:", "\\3-grams:"), "line 14", "\\2-grams:");
        assertArpaError(SMALL_ARPA.replace("ngram 3=1", "ngram 4=1"), "line 5", "order 4", "order 3");
        assertArpaError(SMALL_ARPA.replace("\\data\\", "data"), "no \\data\\");
        assertArpaError(SMALL_ARPA.replace("-0.7 b -0.1", "-0.7 a -0.1"), "line 12", "\"a\" a second time");
        assertArpaError("\\data\\\nngram 1=0\n\n\\1-grams:\n\n\\end\\\n", "line 2", "ngram 1=0", "empty vocabulary");
        assertArpaError(SMALL_ARPA.replace("-99\t<s>\t-0.3", "-99\t<S>\t-0.3")
                .replace("<s> a", "<S> a"), "no unigram <s>");
    }

    @Test
    void badEstimationInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WordLanguageModel.estimate(null, 3));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> WordLanguageModel.estimate(List.of("", "  "), 3));
        assertTrue(empty.getMessage().contains("empty vocabulary"), empty.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> WordLanguageModel.estimate(List.of("a"), 0));
        assertTrue(order.getMessage().startsWith("order: got 0"), order.getMessage());
        IllegalArgumentException marker = assertThrows(IllegalArgumentException.class,
                () -> WordLanguageModel.estimate(List.of("a", "b </s> c"), 2));
        assertTrue(marker.getMessage().startsWith("sentences[1]") && marker.getMessage().contains("</s>"),
                marker.getMessage());
    }

    private static void assertArpaError(String arpa, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WordLanguageModel.readArpa(new StringReader(arpa), "test.arpa"));
        assertTrue(e.getMessage().startsWith("test.arpa"), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "\"" + part + "\" not in: " + e.getMessage());
        }
    }

    /** ARPA text -> "w1 .. wm" -> {log10 p, log10 bow}. */
    private static Map<String, double[]> parseArpa(String arpa) {
        Map<String, double[]> entries = new HashMap<>();
        for (String line : arpa.split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 2 && !line.startsWith("\\") && !line.startsWith("ngram")) {
                entries.put(f[1], new double[]{Double.parseDouble(f[0]), f.length > 2 ? Double.parseDouble(f[2]) : 0});
            }
        }
        return entries;
    }

    private static List<Double> box(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    /** The corpus and the values of src/test/resources/decode/kneser_ney_oracle.py. */
    static final class KneserNeyOracle {
        static final List<String> CORPUS = List.of(
                "the cat sat on the mat",
                "the dog sat on the log",
                "the cat ate the fish",
                "a dog ate a bone",
                "the cat sat",
                "a cat sat on a mat",
                "the dog ate",
                "the fish sat on the mat",
                "a cat ate the fish",
                "the dog sat on the mat",
                "the cat sat on the log",
                "the bird sat");

        static List<String> expectedLines() throws IOException {
            try (InputStream in = WordLanguageModelTest.class.getResourceAsStream("/decode/kneser_ney_expected.txt")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
        }
    }
}
