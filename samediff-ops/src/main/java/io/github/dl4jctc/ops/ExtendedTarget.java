package io.github.dl4jctc.ops;

/**
 * The extended target {@code l'} of CTC: the labels with a blank before, between and after them
 * ({@code blank, l1, blank, l2, ..., blank}, length {@code 2L + 1}), and the facts about it that every recursion
 * needs. Classes are numbered by slot: slot 0 is the blank, then each distinct label once, so a sample's work
 * touches at most {@code L + 1} classes however large the vocabulary.
 */
final class ExtendedTarget {
    /** Slot of each extended position. */
    final int[] slot;
    /** Whether position s may be reached from s - 2 (a label differing from the label before it). */
    final boolean[] canSkip;
    /**
     * {@link #canSkip} as 1.0 / 0.0 for branch-free recursions in probability space, with two trailing zeros
     * so that the backward recursion may look two positions past the end.
     */
    final double[] skipWeight;
    /** Class index of each slot; {@code classes[0]} is the blank. */
    final int[] classes;
    /** Fewest frames that can emit the target: one per label plus one blank between each repeated pair. */
    final int minimumFrames;

    ExtendedTarget(int[] target, int blank) {
        int length = 2 * target.length + 1;
        slot = new int[length];
        canSkip = new boolean[length];
        int[] classOfSlot = new int[target.length + 1];
        classOfSlot[0] = blank;
        int slots = 1;
        int repeats = 0;
        for (int i = 0; i < target.length; i++) {
            int s = 2 * i + 1;
            int found = -1;
            for (int k = 1; k < slots && found < 0; k++) {
                if (classOfSlot[k] == target[i]) found = k;
            }
            if (found < 0) {
                classOfSlot[slots] = target[i];
                found = slots++;
            }
            slot[s] = found;
            boolean repeated = i > 0 && target[i] == target[i - 1];
            canSkip[s] = i > 0 && !repeated;
            if (repeated) repeats++;
        }
        classes = java.util.Arrays.copyOf(classOfSlot, slots);
        skipWeight = new double[length + 2];
        for (int s = 0; s < length; s++) skipWeight[s] = canSkip[s] ? 1.0 : 0.0;
        minimumFrames = target.length + repeats;
    }

    int length() {
        return slot.length;
    }
}
