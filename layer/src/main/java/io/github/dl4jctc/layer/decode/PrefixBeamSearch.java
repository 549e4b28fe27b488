package io.github.dl4jctc.layer.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import static io.github.dl4jctc.layer.decode.LogSpace.LOG_ZERO;

/**
 * CTC prefix beam search over one sample, in log space.
 *
 * <p>Each prefix (labelling so far) keeps two probabilities: of all paths that produce it and end in a blank, and of
 * those that end in its last label. The split decides what a repeated label means: after a blank, label c appends a
 * new c ("a", blank, "a" = "aa"); right after c, it extends the same c ("a", "a" = "a").
 *
 * <p>Prefixes form a trie, so appending a label never copies the labels, and a prefix reached from two beams in the
 * same frame is one node whose probabilities add up. Only nodes that make it into a beam stay in the trie.
 */
final class PrefixBeamSearch {

    /** Higher score first; among equals, the one touched first in the frame (deterministic). */
    private static final Comparator<Prefix> BEST_FIRST =
            Comparator.comparingDouble(Prefix::score).reversed().thenComparingLong(p -> p.touchOrder);

    private final int blankIndex;
    private final int beamWidth;
    private final CtcLanguageModel languageModel;
    private final double languageModelWeight;
    private final double insertionBonus;

    private int frame;
    private long touchCounter;
    private List<Prefix> touched;

    PrefixBeamSearch(int blankIndex, int beamWidth, CtcLanguageModel languageModel, double languageModelWeight,
                     double insertionBonus) {
        this.blankIndex = blankIndex;
        this.beamWidth = beamWidth;
        this.languageModel = languageModel;
        this.languageModelWeight = languageModelWeight;
        this.insertionBonus = insertionBonus;
    }

    /**
     * @param logProbs {@code [frames * classes]} row-major ln p(class | frame)
     * @param n        how many hypotheses to return, at most {@code beamWidth}
     * @return up to n hypotheses with finite scores, best first
     */
    List<CtcHypothesis> search(double[] logProbs, int frames, int classes, int n) {
        Prefix root = new Prefix(null, -1, -1);
        root.logBlank = 0;   // the empty prefix before any frame: probability 1, "ending in blank"
        List<Prefix> beams = List.of(root);
        for (frame = 0; frame < frames; frame++) {
            touched = new ArrayList<>();
            int offset = frame * classes;
            for (Prefix beam : beams) {
                extend(beam, logProbs, offset, classes);
            }
            beams = prune(beamWidth);
        }
        beams = new ArrayList<>(beams);
        beams.sort(BEST_FIRST);
        List<CtcHypothesis> best = new ArrayList<>(n);
        for (Prefix prefix : beams.subList(0, Math.min(n, beams.size()))) {
            best.add(new CtcHypothesis(prefix.labels(), prefix.score()));
        }
        return best;
    }

    private void extend(Prefix beam, double[] logProbs, int offset, int classes) {
        double total = LogSpace.add(beam.logBlank, beam.logNonBlank);
        Prefix same = touch(beam);
        same.nextLogBlank = LogSpace.add(same.nextLogBlank, total + logProbs[offset + blankIndex]);
        for (int c = 0; c < classes; c++) {
            double p = logProbs[offset + c];
            if (c == blankIndex || p == LOG_ZERO) {
                continue;
            }
            if (c == beam.label) {
                // The repeat merges into the same label unless a blank separated them.
                same.nextLogNonBlank = LogSpace.add(same.nextLogNonBlank, beam.logNonBlank + p);
                if (beam.logBlank != LOG_ZERO) {
                    Prefix child = touch(child(beam, c));
                    child.nextLogNonBlank = LogSpace.add(child.nextLogNonBlank, beam.logBlank + p);
                }
            } else {
                Prefix child = touch(child(beam, c));
                child.nextLogNonBlank = LogSpace.add(child.nextLogNonBlank, total + p);
            }
        }
    }

    /** Keeps the best {@code width} touched prefixes with a finite score and makes their next values current. */
    private List<Prefix> prune(int width) {
        PriorityQueue<Prefix> kept = new PriorityQueue<>(width + 1, BEST_FIRST.reversed());
        for (Prefix p : touched) {
            p.logBlank = p.nextLogBlank;
            p.logNonBlank = p.nextLogNonBlank;
            if (p.score() == LOG_ZERO) {
                continue;
            }
            kept.add(p);
            if (kept.size() > width) {
                kept.poll();
            }
        }
        for (Prefix p : touched) {
            p.kept = false;
        }
        for (Prefix p : kept) {
            p.kept = true;
        }
        for (Prefix p : touched) {
            if (!p.kept && p.createdInFrame == frame) {
                p.parent.children.remove(p.label);   // never a beam: nothing points at it but the trie
            }
        }
        return new ArrayList<>(kept);
    }

    private Prefix touch(Prefix prefix) {
        if (prefix.touchedInFrame != frame) {
            prefix.touchedInFrame = frame;
            prefix.touchOrder = touchCounter++;
            prefix.nextLogBlank = LOG_ZERO;
            prefix.nextLogNonBlank = LOG_ZERO;
            touched.add(prefix);
        }
        return prefix;
    }

    private Prefix child(Prefix parent, int label) {
        Prefix child = parent.children.get(label);
        if (child == null) {
            child = new Prefix(parent, label, frame);
            double languageScore = insertionBonus;
            if (languageModel != null) {
                double lm = languageModel.logProbability(parent.labels(), label);
                if (Double.isNaN(lm)) {
                    throw new IllegalStateException("languageModel " + languageModel + " returned NaN for label "
                            + label + " after " + Arrays.toString(parent.labels()));
                }
                languageScore += languageModelWeight * lm;
            }
            child.languageScore = parent.languageScore + languageScore;
            parent.children.put(label, child);
        }
        return child;
    }

    /** A node of the prefix trie: one labelling and the probabilities of the paths producing it. */
    private static final class Prefix {
        final Prefix parent;
        final int label;
        final int length;
        final int createdInFrame;
        final Map<Integer, Prefix> children = new HashMap<>(4);
        /** Sum of weight * LM + insertion bonus over the labels: fixed by the labels alone. */
        double languageScore;
        double logBlank = LOG_ZERO;
        double logNonBlank = LOG_ZERO;
        double nextLogBlank = LOG_ZERO;
        double nextLogNonBlank = LOG_ZERO;
        int touchedInFrame = -1;
        long touchOrder;
        boolean kept;
        private int[] labels;

        Prefix(Prefix parent, int label, int createdInFrame) {
            this.parent = parent;
            this.label = label;
            this.length = parent == null ? 0 : parent.length + 1;
            this.createdInFrame = createdInFrame;
        }

        double score() {
            return LogSpace.add(logBlank, logNonBlank) + languageScore;
        }

        /** The labels, computed once per node (the language model asks for them on every extension). */
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
