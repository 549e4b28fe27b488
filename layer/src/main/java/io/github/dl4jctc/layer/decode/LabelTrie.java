package io.github.dl4jctc.layer.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trie of label sequences (spellings of words or phrases as class indices). Node 0 is the root (the empty
 * sequence); callers keep their own per-node data in arrays indexed by node. Built by {@link Builder}, then
 * read-only: each node's children sit in one sorted run of a shared array.
 */
final class LabelTrie {

    static final int ROOT = 0;

    private final int[] childStart;
    private final int[] childLabel;
    private final int[] childNode;
    private final int[] depth;

    private LabelTrie(int[] childStart, int[] childLabel, int[] childNode, int[] depth) {
        this.childStart = childStart;
        this.childLabel = childLabel;
        this.childNode = childNode;
        this.depth = depth;
    }

    int nodeCount() {
        return depth.length;
    }

    /** @return the child of {@code node} along {@code label}, or -1 */
    int child(int node, int label) {
        int from = childStart[node];
        int to = childStart[node + 1];
        while (from < to) {
            int mid = (from + to) >>> 1;
            int l = childLabel[mid];
            if (l == label) {
                return childNode[mid];
            }
            if (l < label) {
                from = mid + 1;
            } else {
                to = mid;
            }
        }
        return -1;
    }

    /** @return the length of the node's sequence */
    int depth(int node) {
        return depth[node];
    }

    static final class Builder {
        private final List<int[]> children = new ArrayList<>();   // per node: pairs label, child
        private final List<Integer> depths = new ArrayList<>();

        Builder() {
            children.add(new int[0]);
            depths.add(0);
        }

        /** @return the node of the whole sequence (created as needed) */
        int add(int[] labels) {
            int node = ROOT;
            for (int label : labels) {
                int next = find(node, label);
                if (next < 0) {
                    next = children.size();
                    children.add(new int[0]);
                    depths.add(depths.get(node) + 1);
                    int[] pairs = children.get(node);
                    pairs = Arrays.copyOf(pairs, pairs.length + 2);
                    pairs[pairs.length - 2] = label;
                    pairs[pairs.length - 1] = next;
                    children.set(node, pairs);
                }
                node = next;
            }
            return node;
        }

        int nodeCount() {
            return children.size();
        }

        private int find(int node, int label) {
            int[] pairs = children.get(node);
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i] == label) {
                    return pairs[i + 1];
                }
            }
            return -1;
        }

        LabelTrie build() {
            int nodes = children.size();
            int[] start = new int[nodes + 1];
            for (int n = 0; n < nodes; n++) {
                start[n + 1] = start[n] + children.get(n).length / 2;
            }
            int[] labels = new int[start[nodes]];
            int[] targets = new int[start[nodes]];
            for (int n = 0; n < nodes; n++) {
                int[] pairs = children.get(n);
                Integer[] order = new Integer[pairs.length / 2];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> Integer.compare(pairs[2 * a], pairs[2 * b]));
                for (int i = 0; i < order.length; i++) {
                    labels[start[n] + i] = pairs[2 * order[i]];
                    targets[start[n] + i] = pairs[2 * order[i] + 1];
                }
            }
            int[] depth = depths.stream().mapToInt(Integer::intValue).toArray();
            return new LabelTrie(start, labels, targets, depth);
        }
    }
}
