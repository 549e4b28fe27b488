package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcVocabulary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a {@link CtcBeamSearchDecoder}'s configuration into its {@link PrefixScorer}s, checking it on the way. */
final class BeamScorers {

    private final int blankIndex;
    private final CtcVocabulary vocabulary;
    private final String wordDelimiter;

    BeamScorers(int blankIndex, CtcVocabulary vocabulary, String wordDelimiter) {
        this.blankIndex = blankIndex;
        this.vocabulary = vocabulary;
        this.wordDelimiter = wordDelimiter;
    }

    /**
     * @return the scorers the configuration asks for, in the order label model, words, hotwords
     * @throws IllegalArgumentException if words or hotwords come without a character vocabulary holding the
     *                                  delimiter, or a lexicon word or hotword cannot be spelled
     */
    PrefixScorer[] build(CtcLanguageModel languageModel, double languageModelWeight, double insertionBonus,
                         WordLanguageModel wordLanguageModel, double wordWeight, double wordBonus,
                         double unknownWordPenalty, boolean sentenceBoundaries, List<String> lexicon,
                         Map<String, Double> hotwords) {
        List<PrefixScorer> list = new ArrayList<>();
        if (languageModel != null || insertionBonus != 0) {
            list.add(new LabelScorer(languageModel, languageModelWeight, insertionBonus, blankIndex));
        }
        boolean words = wordLanguageModel != null || lexicon != null;
        if ((words || hotwords != null) && vocabulary == null) {
            throw new IllegalArgumentException("vocabulary: got none, expected the CtcVocabulary of the output when a"
                    + " word language model, lexicon or hotwords are set (they are spelled with it)");
        }
        if (vocabulary != null && vocabulary.blankIndex() != blankIndex) {
            throw new IllegalArgumentException("vocabulary: got blank index " + vocabulary.blankIndex()
                    + ", expected the decoder's blankIndex " + blankIndex);
        }
        int delimiter = -1;
        if (words || hotwords != null) {
            if (!vocabulary.isCharacterLevel()) {
                throw new IllegalArgumentException("vocabulary: got a token vocabulary " + vocabulary
                        + ", expected a character vocabulary (words are spelled character by character)");
            }
            delimiter = classOf(vocabulary, wordDelimiter);
            if (delimiter < 0) {
                throw new IllegalArgumentException("wordDelimiter: got \"" + wordDelimiter + "\", expected a"
                        + " character of the vocabulary " + vocabulary);
            }
        }
        if (words) {
            list.add(new WordScorer(wordLanguageModel, lexicon, vocabulary, delimiter, wordWeight, wordBonus,
                    unknownWordPenalty, sentenceBoundaries));
        }
        if (hotwords != null) {
            List<int[]> phrases = new ArrayList<>();
            double[] weights = new double[hotwords.size()];
            for (Map.Entry<String, Double> e : hotwords.entrySet()) {
                weights[phrases.size()] = e.getValue();
                phrases.add(spell("hotwords", e.getKey(), delimiter, true));
            }
            list.add(new HotwordScorer(phrases, weights, delimiter, blankIndex));
        }
        if (lexicon != null) {
            for (String word : lexicon) {
                spell("lexicon", word, delimiter, false);
            }
        }
        return list.toArray(new PrefixScorer[0]);
    }

    /** The labels of a hotword or lexicon word, refusing what the vocabulary cannot spell. */
    private int[] spell(String argument, String text, int delimiter, boolean phrase) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(argument + ": got " + (text == null ? "null" : "\"" + text + "\"")
                    + ", expected a non-blank " + (phrase ? "phrase" : "word"));
        }
        int[] labels;
        try {
            labels = vocabulary.encode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(argument + ": got \"" + text + "\", expected characters of the"
                    + " vocabulary: " + e.getMessage(), e);
        }
        boolean delimiterInside = false;
        for (int i = 0; i < labels.length; i++) {
            delimiterInside |= labels[i] == delimiter;
            if (labels[i] == delimiter && (!phrase || i == 0 || i == labels.length - 1 || labels[i - 1] == delimiter)) {
                throw new IllegalArgumentException(argument + ": got \"" + text + "\", expected " + (phrase
                        ? "words separated by single delimiters \"" + wordDelimiter + "\""
                        : "a word without the delimiter \"" + wordDelimiter + "\""));
            }
        }
        return labels;
    }

    /** @return the class of a one-character token, or -1 if the vocabulary lacks it */
    static int classOf(CtcVocabulary vocabulary, String token) {
        try {
            return vocabulary.indexOf(token);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

}
