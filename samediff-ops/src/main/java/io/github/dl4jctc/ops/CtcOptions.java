package io.github.dl4jctc.ops;

import java.util.Objects;

/**
 * Immutable options of a CTC loss: blank index, reduction, {@code zeroInfinity} and input layout.
 * <p>
 * {@link #defaults()} matches PyTorch's {@code ctc_loss} defaults: blank 0, {@link CtcReduction#MEAN},
 * {@code zeroInfinity = false}, layout {@link CtcLayout#TNC}.
 */
public final class CtcOptions {
    private static final CtcOptions DEFAULTS = builder().build();

    private final int blank;
    private final CtcReduction reduction;
    private final boolean zeroInfinity;
    private final CtcLayout layout;

    private CtcOptions(Builder b) {
        this.blank = b.blank;
        this.reduction = b.reduction;
        this.zeroInfinity = b.zeroInfinity;
        this.layout = b.layout;
    }

    /** Blank 0, MEAN, zeroInfinity false, TNC. */
    public static CtcOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().blank(blank).reduction(reduction).zeroInfinity(zeroInfinity).layout(layout);
    }

    /**
     * Index of the blank class, in {@code [0, C)}. Named {@code blank} as PyTorch's {@code ctc_loss} argument,
     * whose semantics the op follows; the DL4J-facing classes (layer configurations, decoders, vocabulary) call the
     * same index {@code blankIndex}, the name saved in layer configuration JSON.
     */
    public int blank() {
        return blank;
    }

    public CtcReduction reduction() {
        return reduction;
    }

    /** Whether infinite losses (inputs too short to align the target) become 0 with zero gradient. */
    public boolean zeroInfinity() {
        return zeroInfinity;
    }

    public CtcLayout layout() {
        return layout;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof CtcOptions)) return false;
        CtcOptions that = (CtcOptions) o;
        return blank == that.blank && zeroInfinity == that.zeroInfinity
                && reduction == that.reduction && layout == that.layout;
    }

    @Override
    public int hashCode() {
        return Objects.hash(blank, reduction, zeroInfinity, layout);
    }

    @Override
    public String toString() {
        return "CtcOptions{blank=" + blank + ", reduction=" + reduction + ", zeroInfinity=" + zeroInfinity
                + ", layout=" + layout + '}';
    }

    /** Builder of {@link CtcOptions}; every setting has PyTorch's default. */
    public static final class Builder {
        private int blank = 0;
        private CtcReduction reduction = CtcReduction.MEAN;
        private boolean zeroInfinity = false;
        private CtcLayout layout = CtcLayout.TNC;

        private Builder() {
        }

        /**
         * Index of the blank class (default 0). It must lie in {@code [0, C)}; that is checked when the loss
         * sees the number of classes C.
         */
        public Builder blank(int blank) {
            if (blank < 0) {
                throw new IllegalArgumentException("blank: got " + blank + ", expected an index >= 0");
            }
            this.blank = blank;
            return this;
        }

        /** How per-sample losses are combined (default {@link CtcReduction#MEAN}). */
        public Builder reduction(CtcReduction reduction) {
            if (reduction == null) {
                throw new IllegalArgumentException("reduction: got null, expected NONE, MEAN or SUM");
            }
            this.reduction = reduction;
            return this;
        }

        /**
         * Whether a sample that cannot be aligned (input shorter than its target needs) gets loss 0 and zero
         * gradient instead of an infinite loss (default false).
         */
        public Builder zeroInfinity(boolean zeroInfinity) {
            this.zeroInfinity = zeroInfinity;
            return this;
        }

        /** Axis order of the log-probabilities / logits (default {@link CtcLayout#TNC}, PyTorch's). */
        public Builder layout(CtcLayout layout) {
            if (layout == null) {
                throw new IllegalArgumentException("layout: got null, expected TNC or NTC");
            }
            this.layout = layout;
            return this;
        }

        public CtcOptions build() {
            return new CtcOptions(this);
        }
    }
}
