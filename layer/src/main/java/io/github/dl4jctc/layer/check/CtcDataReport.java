package io.github.dl4jctc.layer.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What {@link CtcDataCheck} found. Examples are numbered in the iterator's order from 0 (minibatch after
 * minibatch, rows in order).
 * <p>
 * An example's <em>frames</em> are its output frames at the CTC layer (its input length there, after every stride
 * and pooling of the network); its <em>required</em> frames are its target length plus one for each label equal
 * to the one before it (CTC must put a blank between them); its <em>slack</em> is frames minus required. An example
 * with negative slack cannot be aligned: its loss is +inf (or 0 with {@code zeroInfinity}).
 */
public final class CtcDataReport {

    /** Lower bounds of the frames-per-label histogram's bins; the last bin is open. */
    static final double[] BIN_LOWER_BOUNDS = {0, 1, 1.5, 2, 3, 4, 6, 8, 16};

    private final long examples;
    private final List<Unalignable> unalignable;
    private final List<BadLabel> badLabels;
    private final List<Long> emptyTargets;
    private final long minimumSlack;
    private final long minimumSlackExample;
    private final long[] histogram;
    private final int numClasses;
    private final int blankIndex;

    CtcDataReport(long examples, List<Unalignable> unalignable, List<BadLabel> badLabels, List<Long> emptyTargets,
                  long minimumSlack, long minimumSlackExample, long[] histogram, int numClasses, int blankIndex) {
        this.examples = examples;
        this.unalignable = Collections.unmodifiableList(new ArrayList<>(unalignable));
        this.badLabels = Collections.unmodifiableList(new ArrayList<>(badLabels));
        this.emptyTargets = Collections.unmodifiableList(new ArrayList<>(emptyTargets));
        this.minimumSlack = minimumSlack;
        this.minimumSlackExample = minimumSlackExample;
        this.histogram = histogram.clone();
        this.numClasses = numClasses;
        this.blankIndex = blankIndex;
    }

    /** Number of examples checked. */
    public long examples() {
        return examples;
    }

    /** Examples whose frames are fewer than their target needs, in iterator order. */
    public List<Unalignable> unalignable() {
        return unalignable;
    }

    /**
     * Labels (within their target length) that are not an integer class index in {@code [0, C)} or equal the
     * blank, in iterator order; such an example is not checked for alignment.
     */
    public List<BadLabel> badLabels() {
        return badLabels;
    }

    /** Indices of examples with a target of length 0 (valid for CTC, rarely intended). */
    public List<Long> emptyTargets() {
        return emptyTargets;
    }

    /**
     * The smallest slack (frames minus required frames) over the examples with valid labels; negative when some
     * example cannot be aligned. {@link Long#MAX_VALUE} when no example had valid labels.
     */
    public long minimumSlack() {
        return minimumSlack;
    }

    /** The first example with {@link #minimumSlack()}, or -1. */
    public long minimumSlackExample() {
        return minimumSlackExample;
    }

    /**
     * Counts of examples (with valid, non-empty targets) by frames per target label, in the bins
     * {@code [0, 1), [1, 1.5), [1.5, 2), [2, 3), [3, 4), [4, 6), [6, 8), [8, 16), [16, inf)}.
     */
    public long[] framesPerLabelHistogram() {
        return histogram.clone();
    }

    /** Lower bounds of the histogram bins, see {@link #framesPerLabelHistogram()}. */
    public static double[] framesPerLabelBins() {
        return BIN_LOWER_BOUNDS.clone();
    }

    /** Number of classes C of the CTC layer, the blank included. */
    public int numClasses() {
        return numClasses;
    }

    /** The CTC layer's blank index. */
    public int blankIndex() {
        return blankIndex;
    }

    /** Whether nothing would make the loss infinite or refuse a minibatch: no unalignable example, no bad label. */
    public boolean ok() {
        return unalignable.isEmpty() && badLabels.isEmpty();
    }

    /** One line: counts, minimum slack and the first examples of each finding. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "CTC data check: %d examples, %d unalignable%s, %d bad labels%s,"
                        + " %d empty targets%s, minimum slack %s", examples, unalignable.size(),
                first(unalignable), badLabels.size(), first(badLabels), emptyTargets.size(), first(emptyTargets),
                minimumSlack == Long.MAX_VALUE ? "n/a" : minimumSlack + " frames (example " + minimumSlackExample
                        + ")"));
        sb.append(", frames per label ").append(histogramText());
        return sb.toString();
    }

    /** The histogram as {@code [lower,upper):count} pairs of its non-empty bins. */
    public String histogramText() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < histogram.length; i++) {
            if (histogram[i] == 0) {
                continue;
            }
            if (sb.length() > 1) {
                sb.append(", ");
            }
            String upper = i + 1 < BIN_LOWER_BOUNDS.length ? trim(BIN_LOWER_BOUNDS[i + 1]) : "inf";
            sb.append('[').append(trim(BIN_LOWER_BOUNDS[i])).append(',').append(upper).append("):")
                    .append(histogram[i]);
        }
        return sb.append('}').toString();
    }

    @Override
    public String toString() {
        return summary();
    }

    private static String first(List<?> items) {
        if (items.isEmpty()) {
            return "";
        }
        int shown = Math.min(3, items.size());
        StringBuilder sb = new StringBuilder(" (");
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : "; ").append(items.get(i));
        }
        return sb.append(items.size() > shown ? "; ...)" : ")").toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** An example whose input is too short for its target. */
    public static final class Unalignable {
        private final long example;
        private final int frames;
        private final int required;

        Unalignable(long example, int frames, int required) {
            this.example = example;
            this.frames = frames;
            this.required = required;
        }

        /** Index of the example in iterator order. */
        public long example() {
            return example;
        }

        /** Output frames of the example at the CTC layer. */
        public int frames() {
            return frames;
        }

        /** Frames its target needs: target length plus repeated neighbours. */
        public int required() {
            return required;
        }

        @Override
        public String toString() {
            return "example " + example + ": " + frames + " frames < " + required + " required";
        }
    }

    /** A label that is not an integer in {@code [0, C)} or equals the blank. */
    public static final class BadLabel {
        private final long example;
        private final int position;
        private final double value;

        BadLabel(long example, int position, double value) {
            this.example = example;
            this.position = position;
            this.value = value;
        }

        /** Index of the example in iterator order. */
        public long example() {
            return example;
        }

        /** Position of the label in its target. */
        public int position() {
            return position;
        }

        /** The value found. */
        public double value() {
            return value;
        }

        @Override
        public String toString() {
            return "example " + example + " position " + position + ": " + value;
        }
    }
}
