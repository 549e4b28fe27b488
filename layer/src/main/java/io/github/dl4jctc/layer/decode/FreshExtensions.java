package io.github.dl4jctc.layer.decode;

/**
 * The best {@code capacity} new-prefix candidates of one beam-search frame, in primitive arrays: a min-heap on
 * (score, then later order = worse), so a candidate that cannot make the cut costs one comparison and no
 * allocation. Entries come out in heap order, not sorted.
 */
final class FreshExtensions {

    private final int capacity;
    private final double[] score;
    private final long[] order;
    private final int[] beamIndex;
    private final int[] label;
    private final double[] logNonBlank;
    private final double[] languageScore;
    private int size;

    FreshExtensions(int capacity) {
        this.capacity = capacity;
        this.score = new double[capacity];
        this.order = new long[capacity];
        this.beamIndex = new int[capacity];
        this.label = new int[capacity];
        this.logNonBlank = new double[capacity];
        this.languageScore = new double[capacity];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** Adds the candidate if the heap has room or it beats the worst held, which it then replaces. */
    void offer(double candidateScore, long candidateOrder, int candidateBeam, int candidateLabel,
               double candidateLogNonBlank, double candidateLanguageScore) {
        int slot;
        if (size < capacity) {
            slot = size++;
            set(slot, candidateScore, candidateOrder, candidateBeam, candidateLabel, candidateLogNonBlank,
                    candidateLanguageScore);
            siftUp(slot);
        } else if (worse(0, candidateScore, candidateOrder)) {
            set(0, candidateScore, candidateOrder, candidateBeam, candidateLabel, candidateLogNonBlank,
                    candidateLanguageScore);
            siftDown(0);
        }
    }

    int beamIndex(int i) {
        return beamIndex[i];
    }

    int label(int i) {
        return label[i];
    }

    long order(int i) {
        return order[i];
    }

    double logNonBlank(int i) {
        return logNonBlank[i];
    }

    double languageScore(int i) {
        return languageScore[i];
    }

    /** Whether entry i ranks below a candidate with the given score and order. */
    private boolean worse(int i, double otherScore, long otherOrder) {
        return score[i] < otherScore || (score[i] == otherScore && order[i] > otherOrder);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!worse(i, score[parent], order[parent])) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int worst = i;
            for (int child = 2 * i + 1; child <= 2 * i + 2 && child < size; child++) {
                if (worse(child, score[worst], order[worst])) {
                    worst = child;
                }
            }
            if (worst == i) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void set(int i, double s, long o, int b, int l, double nb, double lang) {
        score[i] = s;
        order[i] = o;
        beamIndex[i] = b;
        label[i] = l;
        logNonBlank[i] = nb;
        languageScore[i] = lang;
    }

    private void swap(int i, int j) {
        double s = score[i];
        long o = order[i];
        int b = beamIndex[i];
        int l = label[i];
        double nb = logNonBlank[i];
        double lang = languageScore[i];
        set(i, score[j], order[j], beamIndex[j], label[j], logNonBlank[j], languageScore[j]);
        set(j, s, o, b, l, nb, lang);
    }
}
