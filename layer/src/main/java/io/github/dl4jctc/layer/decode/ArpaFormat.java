package io.github.dl4jctc.layer.decode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ARPA n-gram text format: a {@code \data\} header with {@code ngram m=count} lines, then per order a
 * {@code \m-grams:} section of lines {@code log10prob <tab> w1 .. wm [<tab> log10backoff]}, then {@code \end\}.
 * Text before {@code \data\} is ignored (SRILM and KenLM put comments there); fields may be separated by tabs or
 * spaces; blank lines are ignored.
 */
final class ArpaFormat {

    private static final Pattern COUNT = Pattern.compile("ngram\\s+(\\d+)\\s*=\\s*(\\d+)");
    private static final Pattern SECTION = Pattern.compile("\\\\(\\d+)-grams:");

    private ArpaFormat() {
    }

    static WordLanguageModel read(Reader reader, String source) throws IOException {
        return new Parser(new BufferedReader(reader), source).parse();
    }

    private static final class Parser {
        private final BufferedReader in;
        private final String source;
        private int lineNumber;

        Parser(BufferedReader in, String source) {
            this.in = in;
            this.source = source;
        }

        WordLanguageModel parse() throws IOException {
            String line;
            do {
                line = in.readLine();
                lineNumber++;
                if (line == null) {
                    throw error("no \\data\\ line", "an ARPA file starting with \\data\\");
                }
            } while (!line.trim().equals("\\data\\"));
            List<Integer> counts = new ArrayList<>();
            int unigramCountLine = 0;
            while ((line = nextNonBlank()) != null && line.startsWith("ngram")) {
                Matcher m = COUNT.matcher(line.trim());
                if (!m.matches()) {
                    throw error("\"" + line + "\"", "a header line \"ngram <order>=<count>\"");
                }
                int order = Integer.parseInt(m.group(1));
                if (order != counts.size() + 1) {
                    throw error("a count for order " + order, "order " + (counts.size() + 1)
                            + " (the header lists orders 1, 2, ... in turn)");
                }
                counts.add(parseCount(m.group(2)));
                unigramCountLine = order == 1 ? lineNumber : unigramCountLine;
            }
            if (counts.isEmpty()) {
                throw error(line == null ? "the end of the text" : "\"" + line + "\"",
                        "\"ngram 1=<count>\" after \\data\\");
            }
            if (counts.get(0) == 0) {
                lineNumber = unigramCountLine;
                throw error("ngram 1=0", "at least one unigram (an empty vocabulary cannot score anything)");
            }
            int order = counts.size();
            Map<String, Integer> ids = new HashMap<>();
            List<String> words = new ArrayList<>();
            double[] unigramLog10 = new double[counts.get(0)];
            double[] unigramBackoff = new double[counts.get(0)];
            NGramTable[] tables = new NGramTable[order - 1];
            for (int m = 1; m <= order; m++) {
                expectSection(line, m);
                NGramTable table = m == 1 ? null : new NGramTable(m, counts.get(m - 1));
                int[] gram = new int[m];
                int read = 0;
                while ((line = nextNonBlank()) != null && !line.startsWith("\\")) {
                    if (read == counts.get(m - 1)) {
                        throw error("more than " + read + " " + m + "-grams", read + " as the header says");
                    }
                    String[] fields = line.trim().split("\\s+");
                    boolean hasBackoff = fields.length == m + 2;
                    if (fields.length != m + 1 && !(hasBackoff && m < order)) {
                        throw error(fields.length + " fields in \"" + line + "\"", "a log10 probability, " + m
                                + " word" + (m == 1 ? "" : "s") + (m < order ? " and an optional back-off weight"
                                : " (the highest order has no back-off weight)"));
                    }
                    double probability = parseNumber(fields[0], "log10 probability");
                    if (probability > 0) {
                        throw error("log10 probability " + fields[0], "a value <= 0");
                    }
                    double backoff = hasBackoff ? parseNumber(fields[m + 1], "log10 back-off weight") : 0;
                    if (m == 1) {
                        if (ids.putIfAbsent(fields[1], words.size()) != null) {
                            throw error("the unigram \"" + fields[1] + "\" a second time", "each n-gram once");
                        }
                        unigramLog10[words.size()] = probability;
                        unigramBackoff[words.size()] = backoff;
                        words.add(fields[1]);
                    } else {
                        for (int i = 0; i < m; i++) {
                            Integer id = ids.get(fields[i + 1]);
                            if (id == null) {
                                throw error("the word \"" + fields[i + 1] + "\"", "a word listed among the 1-grams");
                            }
                            gram[i] = id;
                        }
                        if (!table.put(gram, probability, backoff)) {
                            throw error("the " + m + "-gram \"" + String.join(" ", Arrays.copyOfRange(fields, 1,
                                    m + 1)) + "\" a second time", "each n-gram once");
                        }
                    }
                    read++;
                }
                if (read != counts.get(m - 1)) {
                    throw error(read + " " + m + "-grams before " + (line == null ? "the end of the text"
                            : "\"" + line.trim() + "\""), counts.get(m - 1) + " as the header says (ngram " + m
                            + "=" + counts.get(m - 1) + ")");
                }
                if (m > 1) {
                    tables[m - 2] = table;
                }
            }
            if (line == null || !line.trim().equals("\\end\\")) {
                throw error(line == null ? "the end of the text" : "\"" + line.trim() + "\"", order < 9
                        ? "\\end\\ after the " + order + "-grams (the header lists " + order + " orders)" : "\\end\\");
            }
            for (String required : new String[]{WordLanguageModel.SENTENCE_START, WordLanguageModel.SENTENCE_END}) {
                if (!ids.containsKey(required)) {
                    throw new IllegalArgumentException(source + ": got no unigram " + required
                            + ", expected " + WordLanguageModel.SENTENCE_START + " and "
                            + WordLanguageModel.SENTENCE_END + " among the 1-grams");
                }
            }
            if (!ids.containsKey(WordLanguageModel.UNKNOWN)) {
                words.add(WordLanguageModel.UNKNOWN);
                unigramLog10 = Arrays.copyOf(unigramLog10, words.size());
                unigramLog10[words.size() - 1] = WordLanguageModel.MISSING_UNKNOWN_LOG10;
                unigramBackoff = Arrays.copyOf(unigramBackoff, words.size());
            }
            return new WordLanguageModel(words.toArray(new String[0]), unigramLog10, unigramBackoff, tables);
        }

        private void expectSection(String line, int m) {
            Matcher matcher = line == null ? null : SECTION.matcher(line.trim());
            if (matcher == null || !matcher.matches() || Integer.parseInt(matcher.group(1)) != m) {
                throw error(line == null ? "the end of the text" : "\"" + line.trim() + "\"", "\\" + m + "-grams:");
            }
        }

        private String nextNonBlank() throws IOException {
            String line;
            do {
                line = in.readLine();
                lineNumber++;
            } while (line != null && line.isBlank());
            return line;
        }

        private int parseCount(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw error("count " + text, "a count below 2^31");
            }
        }

        private double parseNumber(String text, String what) {
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw error(what + " \"" + text + "\"", "a decimal number");
            }
            if (!Double.isFinite(value)) {
                throw error(what + " \"" + text + "\"", "a finite decimal number");
            }
            return value;
        }

        private IllegalArgumentException error(String got, String expected) {
            return new IllegalArgumentException(source + ", line " + lineNumber + ": got " + got + ", expected "
                    + expected);
        }
    }

    static void write(WordLanguageModel model, Writer out) throws IOException {
        int order = model.order();
        out.write("\\data\\\n");
        for (int m = 1; m <= order; m++) {
            out.write("ngram " + m + "=" + model.ngramCount(m) + "\n");
        }
        String[] words = model.words();
        out.write("\n\\1-grams:\n");
        for (int id = 0; id < words.length; id++) {
            out.write(number(model.unigramLog10(id)) + "\t" + words[id]
                    + (order > 1 ? "\t" + number(model.unigramBackoff(id)) : "") + "\n");
        }
        for (int m = 2; m <= order; m++) {
            out.write("\n\\" + m + "-grams:\n");
            List<int[]> grams = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            model.table(m).forEach((ids, p, b) -> {
                grams.add(ids.clone());
                values.add(new double[]{p, b});
            });
            Integer[] byIds = new Integer[grams.size()];
            for (int i = 0; i < byIds.length; i++) {
                byIds[i] = i;
            }
            Arrays.sort(byIds, Comparator.comparing(i -> grams.get(i), Arrays::compare));
            for (int i : byIds) {
                StringBuilder line = new StringBuilder(number(values.get(i)[0])).append('\t');
                int[] gram = grams.get(i);
                for (int k = 0; k < gram.length; k++) {
                    line.append(k == 0 ? "" : " ").append(words[gram[k]]);
                }
                if (m < order) {
                    line.append('\t').append(number(values.get(i)[1]));
                }
                out.write(line.append('\n').toString());
            }
        }
        out.write("\n\\end\\\n");
    }

    /** Shortest decimal that reads back as the same double, without exponent. */
    private static String number(double value) {
        return value == 0 ? "0" : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
