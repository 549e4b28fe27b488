package io.github.dl4jctc.layer.decode;

import java.util.Arrays;
import java.util.List;

/**
 * Hotword boosts. A hotword is a phrase (one or more words, as labels) with a weight w: a hypothesis that spells it
 * from a word start to a word end (delimiter or end of input) gains {@code w} per label of the phrase.
 *
 * <p>The boost is given while the phrase is being spelled, so a partial match survives pruning: a prefix that
 * follows a hotword for d labels holds {@code d * w} (w the highest weight among the hotwords it can still become);
 * when the spelling leaves every hotword, or ends without completing one, that provisional boost is taken back
 * (down to the last hotword completed on the way, e.g. "new" inside "new york", which is kept).
 */
final class HotwordScorer implements PrefixScorer {

    private final LabelTrie trie;
    private final int delimiter;
    private final int blankIndex;
    /** Per node: the highest weight of the hotwords that begin with its labels. */
    private final double[] bestWeight;
    /** Per node: the boost a hotword ending exactly there earns (its weight x its length), NaN if none ends there. */
    private final double[] completedBoost;

    /**
     * @param node -1 inside a word that matches no hotword (a match can only start after the next delimiter)
     * @param pending the provisional boost included in the prefix's score
     * @param kept    the part of {@code pending} earned by a hotword already completed
     */
    private record State(int node, double pending, double kept) {
    }

    HotwordScorer(List<int[]> phrases, double[] weights, int delimiter, int blankIndex) {
        LabelTrie.Builder builder = new LabelTrie.Builder();
        int[] ends = new int[phrases.size()];
        for (int i = 0; i < ends.length; i++) {
            ends[i] = builder.add(phrases.get(i));
        }
        this.trie = builder.build();
        this.delimiter = delimiter;
        this.blankIndex = blankIndex;
        this.bestWeight = new double[trie.nodeCount()];
        this.completedBoost = new double[trie.nodeCount()];
        Arrays.fill(completedBoost, Double.NaN);
        for (int i = 0; i < ends.length; i++) {
            int node = LabelTrie.ROOT;
            for (int label : phrases.get(i)) {
                node = trie.child(node, label);
                bestWeight[node] = Math.max(bestWeight[node], weights[i]);
            }
            double boost = weights[i] * phrases.get(i).length;
            completedBoost[ends[i]] = Double.isNaN(completedBoost[ends[i]]) ? boost
                    : Math.max(completedBoost[ends[i]], boost);
        }
    }

    @Override
    public Object initialState() {
        return new State(LabelTrie.ROOT, 0, 0);
    }

    @Override
    public void addExtensionScores(Object s, int[] labels, double[] row) {
        State state = (State) s;
        if (state.node < 0) {
            return;   // outside any match: nothing changes until the next word start
        }
        for (int c = 0; c < row.length; c++) {
            if (c != blankIndex) {
                row[c] += delta(state, labels, c);
            }
        }
    }

    @Override
    public Object extend(Object s, int[] labels, int label) {
        State state = (State) s;
        if (state.node < 0) {
            return label == delimiter ? new State(LabelTrie.ROOT, 0, 0) : state;
        }
        int child = trie.child(state.node, label);
        if (child >= 0) {
            return new State(child, trie.depth(child) * bestWeight[child], kept(state, label));
        }
        // The match ends: what was completed stays in the score for good (see delta), the rest is taken back; a
        // label at a word start may begin a new match.
        if (label == delimiter) {
            return new State(LabelTrie.ROOT, 0, 0);
        }
        int restart = atWordStart(labels) ? trie.child(LabelTrie.ROOT, label) : -1;
        return restart < 0 ? new State(-1, 0, 0) : new State(restart, trie.depth(restart) * bestWeight[restart], 0);
    }

    private boolean atWordStart(int[] labels) {
        return labels.length == 0 || labels[labels.length - 1] == delimiter;
    }

    /** What appending {@code label} adds, for a state inside a match. */
    private double delta(State state, int[] labels, int label) {
        int child = trie.child(state.node, label);
        if (child >= 0) {
            return trie.depth(child) * bestWeight[child] - state.pending;
        }
        State next = (State) extend(state, labels, label);
        return kept(state, label) - state.pending + (next.node < 0 ? 0 : next.pending);
    }

    /** The completed part of the match after {@code label}: a hotword ending at the node counts on a delimiter. */
    private double kept(State state, int label) {
        boolean completesHere = label == delimiter && !Double.isNaN(completedBoost[state.node]);
        return completesHere ? completedBoost[state.node] : state.kept;
    }

    @Override
    public double endScore(Object s, int[] labels) {
        State state = (State) s;
        if (state.node < 0) {
            return 0;
        }
        double keep = Double.isNaN(completedBoost[state.node]) ? state.kept : completedBoost[state.node];
        return keep - state.pending;
    }
}
