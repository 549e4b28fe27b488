package io.github.dl4jctc.ops;

/**
 * The integer side of a CTC problem after validation: shapes, blank, padded targets and both lengths, held as
 * Java arrays (they are small: {@code N x S}) so that every later step can read them without native calls.
 */
final class CtcBatch {
    final int batchSize;
    final int maxTime;
    final int numClasses;
    final int blank;
    /** Padded targets, {@code [N][S]}; only the first {@code targetLengths[n]} entries of a row are meaningful. */
    final int[][] targets;
    final int[] inputLengths;
    final int[] targetLengths;

    CtcBatch(int batchSize, int maxTime, int numClasses, int blank, int[][] targets, int[] inputLengths,
             int[] targetLengths) {
        this.batchSize = batchSize;
        this.maxTime = maxTime;
        this.numClasses = numClasses;
        this.blank = blank;
        this.targets = targets;
        this.inputLengths = inputLengths;
        this.targetLengths = targetLengths;
    }

    /** Padded target width S (at least 1). */
    int maxTargetLength() {
        int s = 1;
        for (int[] row : targets) {
            s = Math.max(s, row.length);
        }
        return s;
    }

    /** Whether sample n has no alignment because its target is longer than its input (PyTorch: loss +inf). */
    boolean targetLongerThanInput(int n) {
        return targetLengths[n] > inputLengths[n];
    }
}
