package io.github.dl4jctc.zoo.util;

import java.util.SplittableRandom;

/**
 * Random generators derived from a run's seed and an item's index, so that item {@code i} is the same whichever
 * thread makes it, in whatever order, and however many items came before.
 */
public final class Seeds {

    private Seeds() {
    }

    /** @return a generator for item {@code index} of the stream with seed {@code seed} */
    public static SplittableRandom forItem(long seed, long index) {
        return new SplittableRandom(mix(mix(seed) + index));
    }

    /** The finaliser of SplitMix64: spreads nearby inputs (seed 1, seed 2) over unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
