package io.github.dl4jctc.layer.decode;

/**
 * The most probable CTC path of one sample that produces a given labelling (Viterbi over the extended labelling
 * {@code blank, l1, blank, l2, ..., lL, blank}), with torchaudio's {@code forced_align} tie-breaking.
 *
 * <p>Ties, as in torchaudio's CPU kernel ({@code forced_align/cpu/compute.cpp}): a state's predecessor is the same
 * state unless the previous state is strictly better, and that one unless the skip over a blank is strictly better
 * than both; at the last frame the path ends on the last label unless ending on the final blank is strictly better.
 * Among equally probable paths this takes one that ends on the last label if any does, and then the one whose
 * states, read backwards from the last frame, are largest first: every state is entered as early as possible. Sums are accumulated in double from frame 0 on, so a tie is an
 * exact equality of the left-to-right sums (torchaudio accumulates in the input's type; float32 near-ties can
 * break differently there).
 */
final class CtcViterbi {

    private CtcViterbi() {
    }

    /** One path: the label of every frame and its log-probability there. */
    record Path(int[] frameLabels, double[] frameScores, double logProbability) {
    }

    /**
     * The back-pointer table holds {@code frames x (2 labels + 1)} entries in one Java array, as torchaudio's does:
     * longer inputs have to be cut into segments.
     *
     * @throws IllegalArgumentException naming {@code what} when the table would pass {@code Integer.MAX_VALUE}
     */
    static void checkTableSize(int frames, int labels, String what) {
        long entries = (long) frames * (2L * labels + 1);
        if (entries > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": got T = " + frames + " frames and S = " + labels
                    + " labels, T x (2S + 1) = " + entries + ", expected at most " + Integer.MAX_VALUE
                    + " (cut the input into segments)");
        }
    }

    /**
     * @param logProbs row-major {@code [frames * classes]} natural-log probabilities, from {@code offset}
     * @param labels   the labelling, no blanks
     * @return the best path, or null when no path of finite log-probability produces {@code labels} (too few
     *         frames for the labels and the blanks between repeats, or every path crosses a -inf entry)
     */
    static Path align(double[] logProbs, int offset, int frames, int classes, int[] labels, int blank) {
        checkTableSize(frames, labels.length, "labels");
        int l = labels.length;
        int states = 2 * l + 1;
        int repeats = 0;
        for (int i = 1; i < l; i++) {
            if (labels[i] == labels[i - 1]) {
                repeats++;
            }
        }
        if (frames < l + repeats) {
            return null;
        }
        if (frames == 0) {
            return new Path(new int[0], new double[0], 0.0);   // nothing to emit, with probability 1
        }
        double[] previous = new double[states];
        double[] current = new double[states];
        byte[] back = new byte[frames * states];
        java.util.Arrays.fill(previous, Double.NEGATIVE_INFINITY);
        previous[0] = logProbs[offset + blank];
        if (l > 0) {
            previous[1] = logProbs[offset + labels[0]];
        }
        for (int t = 1; t < frames; t++) {
            int row = offset + t * classes;
            int backRow = t * states;
            current[0] = previous[0] + logProbs[row + blank];
            for (int s = 1; s < states; s++) {
                double stay = previous[s];
                double advance = previous[s - 1];
                boolean isLabel = (s & 1) == 1;
                double skip = isLabel && s > 1 && labels[s >> 1] != labels[(s >> 1) - 1]
                        ? previous[s - 2] : Double.NEGATIVE_INFINITY;
                double best;
                if (skip > advance && skip > stay) {
                    best = skip;
                    back[backRow + s] = 2;
                } else if (advance > stay) {
                    best = advance;
                    back[backRow + s] = 1;
                } else {
                    best = stay;
                }
                current[s] = best + logProbs[row + (isLabel ? labels[s >> 1] : blank)];
            }
            double[] swap = previous;
            previous = current;
            current = swap;
        }
        int state = l == 0 || previous[states - 1] > previous[states - 2] ? states - 1 : states - 2;
        double total = previous[state];
        if (total == Double.NEGATIVE_INFINITY) {
            return null;
        }
        int[] path = new int[frames];
        double[] scores = new double[frames];
        for (int t = frames - 1; t >= 0; t--) {
            int label = (state & 1) == 1 ? labels[state >> 1] : blank;
            path[t] = label;
            scores[t] = logProbs[offset + t * classes + label];
            state -= back[t * states + state];
        }
        return new Path(path, scores, total);
    }
}
