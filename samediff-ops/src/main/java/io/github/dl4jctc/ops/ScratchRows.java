package io.github.dl4jctc.ops;

/** What both forward-backward recursions share: the band of live states per frame, and per-thread scratch rows. */
final class ScratchRows {
    private ScratchRows() {
    }

    /** First state (of {@code len}) at frame t from which the end can still be reached in the frames left. */
    static int firstLive(int len, int frames, int t) {
        return Math.max(0, len - 2 * (frames - t));
    }

    /** Last state (of {@code len}) reachable from the start by frame t. */
    static int lastReachable(int len, int t) {
        return Math.min(len - 1, 2 * t + 1);
    }

    /** Scratch row {@code which}, grown (geometrically, so reuse wins) to at least {@code size}. */
    static double[] grow(double[][] scratch, int which, int size) {
        if (scratch[which].length < size) {
            scratch[which] = new double[Math.max(size, scratch[which].length * 2)];
        }
        return scratch[which];
    }
}
