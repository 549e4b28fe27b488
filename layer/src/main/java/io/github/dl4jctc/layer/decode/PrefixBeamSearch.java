package io.github.dl4jctc.layer.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.dl4jctc.layer.decode.LogSpace.LOG_ZERO;

/**
 * CTC prefix beam search over one sample, in log space.
 *
 * <p>Each prefix (labelling so far) keeps two probabilities: of all paths that produce it and end in a blank, and of
 * those that end in its last label. The split decides what a repeated label means: after a blank, label c appends a
 * new c ("a", blank, "a" = "aa"); right after c, it extends the same c ("a", "a" = "a").
 *
 * <p>Prefixes that have been in a beam form a trie, so a prefix reached from two places in one frame is one node
 * whose probabilities add up. Per frame a beam tries every class, {@code beamWidth x C} extensions; the ones that
 * create a prefix not in the trie get exactly one contribution (from their only parent), so their score is final
 * when computed: they are ranked in a bounded heap of primitives and only the winners become nodes.
 */
final class PrefixBeamSearch {

    /** Higher score first; among equals, the earlier candidate of the frame (deterministic). */
    private static final Comparator<Prefix> BEST_FIRST =
            Comparator.comparingDouble(Prefix::score).reversed().thenComparingLong(p -> p.order);
    private static final Comparator<Prefix> FINAL_FIRST =
            Comparator.comparingDouble((Prefix p) -> p.finalScore).reversed().thenComparingLong(p -> p.order);

    private final int blankIndex;
    private final int beamWidth;
    private final PrefixScorer[] scorers;

    // Per-search state.
    private int classes;
    private int frame;
    private long order;
    private List<Prefix> touched;
    private FreshExtensions fresh;
    private boolean[] isExistingChild;

    private List<Prefix> beams;

    /** @param scorers what is added to the acoustic score (see {@link PrefixScorer}); may be empty */
    PrefixBeamSearch(int blankIndex, int beamWidth, PrefixScorer... scorers) {
        this.blankIndex = blankIndex;
        this.beamWidth = beamWidth;
        this.scorers = scorers;
    }

    /**
     * @param logProbs {@code [frames * classes]} row-major ln p(class | frame)
     * @param n        how many hypotheses to return, at most {@code beamWidth}
     * @return up to n hypotheses with finite scores, best first
     */
    List<CtcHypothesis> search(double[] logProbs, int frames, int classes, int n) {
        start(classes);
        advance(logProbs, frames);
        return best(n);
    }

    /** Starts a search over frames of {@code classes} classes: the beam holds the empty prefix. */
    void start(int classes) {
        this.classes = classes;
        this.order = 0;
        this.frame = 0;
        this.fresh = new FreshExtensions(beamWidth);
        this.isExistingChild = new boolean[classes];
        Prefix root = new Prefix(null, -1, 0);
        root.logBlank = 0;   // the empty prefix before any frame: probability 1, "ending in blank"
        root.states = new Object[scorers.length];
        for (int i = 0; i < scorers.length; i++) {
            root.states[i] = scorers[i].initialState();
        }
        beams = List.of(root);
    }

    /** Runs the search over {@code frames} more frames, {@code logProbs[t * classes + c]}. */
    void advance(double[] logProbs, int frames) {
        for (int t = 0; t < frames; t++, frame++) {
            touched = new ArrayList<>();
            fresh.clear();
            for (int b = 0; b < beams.size(); b++) {
                extend(beams.get(b), b, logProbs, t * classes);
            }
            beams = prune(beams);
        }
    }

    /**
     * @return the best n hypotheses of the frames so far, scored as if the input ended here (the scorers' end
     *         scores added), best first; the search can go on afterwards
     */
    List<CtcHypothesis> best(int n) {
        List<Prefix> ranked = new ArrayList<>(beams.size());
        double[] finalScore = new double[beams.size()];
        for (int i = 0; i < beams.size(); i++) {
            Prefix prefix = beams.get(i);
            double score = prefix.score();
            for (int k = 0; k < scorers.length && score != LOG_ZERO; k++) {
                score += scorers[k].endScore(prefix.states()[k], prefix.labels());
            }
            prefix.finalScore = score;
            if (score != LOG_ZERO) {
                ranked.add(prefix);
            }
        }
        ranked.sort(FINAL_FIRST);
        List<CtcHypothesis> best = new ArrayList<>(n);
        for (Prefix prefix : ranked.subList(0, Math.min(n, ranked.size()))) {
            best.add(new CtcHypothesis(prefix.labels(), prefix.finalScore));
        }
        return best;
    }

    int frames() {
        return frame;
    }

    int blankIndex() {
        return blankIndex;
    }

    private void extend(Prefix beam, int beamIndex, double[] logProbs, int offset) {
        double total = LogSpace.add(beam.logBlank, beam.logNonBlank);
        Prefix same = touch(beam);
        same.nextLogBlank = LogSpace.add(same.nextLogBlank, total + logProbs[offset + blankIndex]);
        if (beam.label >= 0) {
            // Repeating the last label right after itself merges into it.
            same.nextLogNonBlank = LogSpace.add(same.nextLogNonBlank, beam.logNonBlank + logProbs[offset + beam.label]);
        }
        for (Prefix child : beam.children.values()) {
            isExistingChild[child.label] = true;
            Prefix target = touch(child);
            target.nextLogNonBlank = LogSpace.add(target.nextLogNonBlank,
                    appendFrom(beam, child.label, total) + logProbs[offset + child.label]);
        }
        double[] languageRow = beam.languageRow();
        for (int c = 0; c < classes; c++) {
            double p = logProbs[offset + c];
            if (c == blankIndex || p == LOG_ZERO || isExistingChild[c] || languageRow[c] == LOG_ZERO) {
                continue;
            }
            double logNonBlank = appendFrom(beam, c, total) + p;
            if (logNonBlank != LOG_ZERO) {
                double languageScore = beam.languageScore + languageRow[c];
                fresh.offer(logNonBlank + languageScore, order++, beamIndex, c, logNonBlank, languageScore);
            }
        }
        for (Prefix child : beam.children.values()) {
            isExistingChild[child.label] = false;
        }
    }

    /** The paths of {@code beam} that can be followed by a new label c: after a blank only, if c repeats the last. */
    private static double appendFrom(Prefix beam, int c, double total) {
        return c == beam.label ? beam.logBlank : total;
    }

    /** Keeps the best {@code beamWidth} of the touched prefixes and fresh extensions; their next values go current. */
    private List<Prefix> prune(List<Prefix> beams) {
        List<Prefix> candidates = new ArrayList<>(touched.size() + fresh.size());
        for (Prefix p : touched) {
            p.logBlank = p.nextLogBlank;
            p.logNonBlank = p.nextLogNonBlank;
            p.inBeam = false;
            if (p.score() != LOG_ZERO) {
                candidates.add(p);
            }
        }
        // The fresh extensions that survived the heap (at most beamWidth) become nodes to be ranked with the rest;
        // only those kept are attached to the trie.
        for (int i = 0; i < fresh.size(); i++) {
            Prefix child = new Prefix(beams.get(fresh.beamIndex(i)), fresh.label(i), fresh.order(i));
            child.logNonBlank = fresh.logNonBlank(i);
            child.languageScore = fresh.languageScore(i);
            candidates.add(child);
        }
        candidates.sort(BEST_FIRST);
        List<Prefix> kept = new ArrayList<>(candidates.subList(0, Math.min(beamWidth, candidates.size())));
        for (Prefix p : kept) {
            p.inBeam = true;
            if (p.parent != null) {
                p.parent.children.putIfAbsent(p.label, p);
            }
        }
        for (Prefix p : touched) {
            if (!p.inBeam) {
                p.languageRow = null;   // cached only while a beam; recomputed if the prefix comes back
            }
        }
        return kept;
    }

    private Prefix touch(Prefix prefix) {
        if (prefix.touchedInFrame != frame) {
            prefix.touchedInFrame = frame;
            prefix.order = order++;
            prefix.nextLogBlank = LOG_ZERO;
            prefix.nextLogNonBlank = LOG_ZERO;
            touched.add(prefix);
        }
        return prefix;
    }

    /** A prefix in the trie: one labelling and the probabilities of the paths producing it. */
    private final class Prefix {
        final Prefix parent;
        final int label;
        final int length;
        final Map<Integer, Prefix> children = new HashMap<>(4);
        /** Sum of weight * LM + insertion bonus over the labels: fixed by the labels alone. */
        double languageScore;
        double logBlank = LOG_ZERO;
        double logNonBlank = LOG_ZERO;
        double nextLogBlank = LOG_ZERO;
        double nextLogNonBlank = LOG_ZERO;
        Object[] states;
        /** Score with the scorers' end scores, set when hypotheses are taken. */
        double finalScore;
        /** Rank among equal scores: the earlier candidate of the frame wins, so results are deterministic. */
        long order;
        int touchedInFrame = -1;
        boolean inBeam;
        private int[] labels;
        private double[] languageRow;

        Prefix(Prefix parent, int label, long order) {
            this.parent = parent;
            this.label = label;
            this.length = parent == null ? 0 : parent.length + 1;
            this.order = order;
        }

        double score() {
            return LogSpace.add(logBlank, logNonBlank) + languageScore;
        }

        /** Per class c: what appending c adds to the language score (LOG_ZERO: not allowed); cached while a beam. */
        double[] languageRow() {
            if (languageRow == null) {
                languageRow = new double[classes];
                for (int k = 0; k < scorers.length; k++) {
                    scorers[k].addExtensionScores(states()[k], labels(), languageRow);
                }
            }
            return languageRow;
        }

        /** The scorers' states of this prefix, derived from the parent's on first use. */
        Object[] states() {
            if (states == null) {
                Object[] parentStates = parent.states();
                int[] parentLabels = parent.labels();
                states = new Object[scorers.length];
                for (int k = 0; k < scorers.length; k++) {
                    states[k] = scorers[k].extend(parentStates[k], parentLabels, label);
                }
            }
            return states;
        }

        int[] labels() {
            if (labels == null) {
                labels = new int[length];
                Prefix node = this;
                for (int i = length - 1; i >= 0; i--) {
                    labels[i] = node.label;
                    node = node.parent;
                }
            }
            return labels;
        }
    }
}
