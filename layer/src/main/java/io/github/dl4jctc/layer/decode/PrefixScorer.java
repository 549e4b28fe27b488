package io.github.dl4jctc.layer.decode;

/**
 * What the beam search adds to a prefix's acoustic log probability: language models, bonuses, hotword boosts.
 * A prefix's added score depends on its labels alone and is built label by label; each scorer keeps what it needs
 * about a prefix in an immutable state object, so the search never rescans a prefix.
 */
interface PrefixScorer {

    /** @return the state of the empty prefix */
    Object initialState();

    /**
     * Adds to {@code row[c]}, for every class c other than the blank, what appending c to the prefix adds to its
     * score ({@link LogSpace#LOG_ZERO} when c may not follow the prefix).
     *
     * @param labels the prefix's labels (not to be modified)
     */
    void addExtensionScores(Object state, int[] labels, double[] row);

    /** @return the state of the prefix {@code labels + label} */
    Object extend(Object state, int[] labels, int label);

    /**
     * @return what ending the input after this prefix adds (e.g. the score of its last word and of the end of the
     *         sentence); {@link LogSpace#LOG_ZERO} when a hypothesis may not end here
     */
    double endScore(Object state, int[] labels);
}
