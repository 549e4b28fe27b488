package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcVocabulary;

import java.util.Arrays;
import java.util.Collection;

import static io.github.dl4jctc.layer.decode.LogSpace.LOG_ZERO;

/**
 * Word-level scoring of a character prefix: a {@link WordLanguageModel} and/or a lexicon.
 *
 * <p>Words are the runs of labels between delimiter labels. A prefix's score is the sum over its complete words of
 * {@code alpha * ln 10 * log10 P(word | previous words) + beta}, plus the score of its partial (last, unfinished)
 * word: 0 while the partial word is the beginning of a known word, else {@code alpha * ln 10 * unknownPenalty} (the
 * penalty its completion will carry); so the partial score is replaced, not added to, when the word completes.
 * Known words are the lexicon's if one is given (then other spellings are not allowed at all), else the language
 * model's vocabulary. A word the model does not know is scored as {@code <unk>} plus {@code unknownPenalty}
 * (log10). An empty word (two delimiters in a row, or a leading delimiter) adds nothing. At the end of the input
 * the partial word is scored as a word and, with sentence boundaries, {@code alpha * ln 10 * log10 P(</s> | ..)}
 * is added; the first word is then predicted after {@code <s>}.
 */
final class WordScorer implements PrefixScorer {

    private static final double LN_10 = Math.log(10);

    private final WordLanguageModel model;
    private final double alpha;
    private final double beta;
    private final int delimiter;
    private final int blankIndex;
    private final boolean lexiconOnly;
    private final boolean boundaries;
    private final LabelTrie trie;
    /** Per trie node: the model's id of the word spelled there, -1 if the node spells no word. */
    private final int[] wordId;
    /** Per trie node: whether that word is unknown to the model (scored as {@code <unk>} + penalty). */
    private final boolean[] unknownWord;
    private final double unknownPenalty;
    /** ln-scale score of a partial word that has left the trie (no lexicon). */
    private final double offTriePartial;

    /** A prefix: history of word ids (oldest first), the trie node of its partial word (-1: off the trie). */
    private record State(int[] history, int node, double partialScore) {
    }

    /**
     * @param model   the word model, or null for a lexicon alone
     * @param lexicon the allowed words, or null to allow every spelling (then {@code model} is required)
     */
    WordScorer(WordLanguageModel model, Collection<String> lexicon, CtcVocabulary vocabulary, int delimiter,
               double alpha, double beta, double unknownPenalty, boolean boundaries) {
        this.model = model;
        this.alpha = alpha;
        this.beta = beta;
        this.delimiter = delimiter;
        this.blankIndex = vocabulary.blankIndex();
        this.lexiconOnly = lexicon != null;
        this.boundaries = boundaries && model != null;
        this.unknownPenalty = unknownPenalty;
        this.offTriePartial = alpha * LN_10 * unknownPenalty;
        LabelTrie.Builder builder = new LabelTrie.Builder();
        Collection<String> words = lexicon != null ? lexicon : model.vocabulary();
        int[] ids = new int[16];
        int[] nodeOf = new int[words.size()];
        int count = 0;
        String delimiterText = vocabulary.tokenAt(delimiter);
        for (String word : words) {
            if (!lexiconOnly && (word.equals(WordLanguageModel.SENTENCE_START)
                    || word.equals(WordLanguageModel.SENTENCE_END) || word.equals(WordLanguageModel.UNKNOWN)
                    || !spellable(word, vocabulary, delimiterText))) {
                continue;   // the model's words that the output cannot spell are never proposed
            }
            int node = builder.add(vocabulary.encode(word));
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, 2 * count);
                nodeOf = Arrays.copyOf(nodeOf, Math.max(nodeOf.length, 2 * count));
            }
            nodeOf[count] = node;
            ids[count++] = model == null ? -1 : model.id(word);
        }
        this.trie = builder.build();
        this.wordId = new int[trie.nodeCount()];
        this.unknownWord = new boolean[trie.nodeCount()];
        Arrays.fill(wordId, -1);
        int unknownId = model == null ? -1 : model.idOrUnknown(WordLanguageModel.UNKNOWN);
        for (int i = 0; i < count; i++) {
            boolean unknown = ids[i] < 0;
            wordId[nodeOf[i]] = unknown ? unknownId : ids[i];
            unknownWord[nodeOf[i]] = unknown && model != null;
        }
        if (lexiconOnly) {
            for (int i = 0; i < count; i++) {
                if (wordId[nodeOf[i]] < 0) {
                    wordId[nodeOf[i]] = Integer.MAX_VALUE;   // a lexicon word with no model: only beta counts
                }
            }
        }
    }

    private static boolean spellable(String word, CtcVocabulary vocabulary, String delimiterText) {
        if (word.isEmpty() || word.contains(delimiterText)) {
            return false;
        }
        for (int offset = 0; offset < word.length(); ) {
            int codePoint = word.codePointAt(offset);
            if (BeamScorers.classOf(vocabulary, new String(Character.toChars(codePoint))) < 0) {
                return false;
            }
            offset += Character.charCount(codePoint);
        }
        return true;
    }

    @Override
    public Object initialState() {
        int[] history = boundaries ? new int[]{model.id(WordLanguageModel.SENTENCE_START)} : new int[0];
        return new State(history, LabelTrie.ROOT, 0);
    }

    @Override
    public void addExtensionScores(Object s, int[] labels, double[] row) {
        State state = (State) s;
        double completed = state.node == LabelTrie.ROOT ? 0 : wordScore(state) - state.partialScore;
        for (int c = 0; c < row.length; c++) {
            if (c == blankIndex) {
                continue;
            }
            if (c == delimiter) {
                row[c] += completed;
            } else {
                row[c] += partialScore(childOf(state.node, c)) - state.partialScore;
            }
        }
    }

    @Override
    public Object extend(Object s, int[] labels, int label) {
        State state = (State) s;
        if (label != delimiter) {
            int child = childOf(state.node, label);
            return new State(state.history, child, partialScore(child));
        }
        if (state.node == LabelTrie.ROOT) {
            return state;
        }
        return new State(pushed(state.history, completedWordId(state.node)), LabelTrie.ROOT, 0);
    }

    @Override
    public double endScore(Object s, int[] labels) {
        State state = (State) s;
        double score = 0;
        int[] history = state.history;
        if (state.node != LabelTrie.ROOT) {
            score += wordScore(state) - state.partialScore;
            if (score == LOG_ZERO) {
                return LOG_ZERO;
            }
            history = pushed(history, completedWordId(state.node));
        }
        if (boundaries) {
            score += alpha * LN_10 * model.log10(history, 0, history.length,
                    model.id(WordLanguageModel.SENTENCE_END));
        }
        return score;
    }

    private int childOf(int node, int label) {
        return node < 0 ? -1 : trie.child(node, label);
    }

    private double partialScore(int node) {
        if (node >= 0) {
            return 0;
        }
        return lexiconOnly ? LOG_ZERO : offTriePartial;
    }

    /** The score of the partial word of {@code state} as a complete word (LOG_ZERO if not allowed). */
    private double wordScore(State state) {
        int id = state.node < 0 ? -1 : wordId[state.node];
        if (id < 0 && lexiconOnly) {
            return LOG_ZERO;
        }
        if (model == null) {
            return beta;
        }
        boolean unknown = id < 0 || unknownWord[state.node];
        int modelId = id < 0 ? model.idOrUnknown(WordLanguageModel.UNKNOWN) : id;
        double log10 = model.log10(state.history, 0, state.history.length, modelId);
        return alpha * LN_10 * (log10 + (unknown ? unknownPenalty : 0)) + beta;
    }

    private int completedWordId(int node) {
        if (model == null) {
            return -1;
        }
        int id = node < 0 ? -1 : wordId[node];
        return id < 0 ? model.idOrUnknown(WordLanguageModel.UNKNOWN) : id;
    }

    /** The history with {@code word} appended, keeping the last {@code order - 1} words. */
    private int[] pushed(int[] history, int word) {
        if (model == null) {
            return history;
        }
        int keep = Math.min(history.length + 1, model.order() - 1);
        int[] next = new int[keep];
        int copy = keep - 1;
        if (copy > 0) {
            System.arraycopy(history, history.length - copy, next, 0, copy);
        }
        if (keep > 0) {
            next[keep - 1] = word;
        }
        return next;
    }
}
