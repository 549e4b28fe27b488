package io.github.dl4jctc.layer.decode;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The n-grams of one order m of a {@link WordLanguageModel}: word-id sequences of length m with their log10
 * probability and back-off weight, in an open-addressing hash table (linear probing, keys compared exactly, no
 * allocation per lookup).
 */
final class NGramTable implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int order;
    private final int mask;
    /** {@code [capacity * order]} word ids per slot; slot empty when its first id is -1. */
    private final int[] keys;
    private final double[] log10Probability;
    private final double[] log10Backoff;
    private int size;

    NGramTable(int order, int expected) {
        this.order = order;
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        this.mask = capacity - 1;
        this.keys = new int[capacity * order];
        Arrays.fill(keys, -1);
        this.log10Probability = new double[capacity];
        this.log10Backoff = new double[capacity];
    }

    int order() {
        return order;
    }

    int size() {
        return size;
    }

    /** @return false if the n-gram was present already (its values are then left alone) */
    boolean put(int[] ids, double probability, double backoff) {
        int slot = slotOf(ids, 0, order, -1);
        if (keys[slot * order] >= 0) {
            return false;
        }
        System.arraycopy(ids, 0, keys, slot * order, order);
        log10Probability[slot] = probability;
        log10Backoff[slot] = backoff;
        size++;
        return true;
    }

    /**
     * The n-gram {@code ids[from .. from + length)} followed by {@code last} (or by nothing when {@code last < 0});
     * the total length is this table's order.
     *
     * @return its slot, or -1 if absent
     */
    int find(int[] ids, int from, int length, int last) {
        int slot = slotOf(ids, from, length, last);
        return keys[slot * order] < 0 ? -1 : slot;
    }

    double probability(int slot) {
        return log10Probability[slot];
    }

    double backoff(int slot) {
        return log10Backoff[slot];
    }

    /** Calls back with every n-gram (ids in a reused array) and its values, in slot order. */
    void forEach(Visitor visitor) {
        int[] ids = new int[order];
        for (int slot = 0; slot <= mask; slot++) {
            if (keys[slot * order] >= 0) {
                System.arraycopy(keys, slot * order, ids, 0, order);
                visitor.visit(ids, log10Probability[slot], log10Backoff[slot]);
            }
        }
    }

    interface Visitor {
        void visit(int[] ids, double log10Probability, double log10Backoff);
    }

    /** The slot holding the key, or the empty slot where it would go. */
    private int slotOf(int[] ids, int from, int length, int last) {
        long h = 0x2545F4914F6CDD1DL;
        for (int i = from; i < from + length; i++) {
            h = (h ^ ids[i]) * 0x9E3779B97F4A7C15L;
        }
        if (last >= 0) {
            h = (h ^ last) * 0x9E3779B97F4A7C15L;
        }
        int slot = (int) (h ^ (h >>> 32)) & mask;
        while (true) {
            int base = slot * order;
            if (keys[base] < 0 || matches(base, ids, from, length, last)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean matches(int base, int[] ids, int from, int length, int last) {
        for (int i = 0; i < length; i++) {
            if (keys[base + i] != ids[from + i]) {
                return false;
            }
        }
        return last < 0 || keys[base + length] == last;
    }
}
