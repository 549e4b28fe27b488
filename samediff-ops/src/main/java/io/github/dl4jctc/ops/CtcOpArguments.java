package io.github.dl4jctc.ops;

/**
 * The options of a CTC SameDiff op, stored as the op's integer arguments: they are what FlatBuffers saves
 * and restores for a custom op, so a saved graph keeps its blank, reduction and layout.
 */
final class CtcOpArguments {
    private static final int BLANK = 0;
    private static final int REDUCTION = 1;
    private static final int ZERO_INFINITY = 2;
    private static final int LAYOUT = 3;
    private static final int FROM_LOGITS = 4;
    static final int COUNT = 5;

    private CtcOpArguments() {
    }

    static long[] encode(CtcOptions options, boolean fromLogits) {
        long[] a = new long[COUNT];
        a[BLANK] = options.blank();
        a[REDUCTION] = options.reduction().ordinal();
        a[ZERO_INFINITY] = options.zeroInfinity() ? 1 : 0;
        a[LAYOUT] = options.layout().ordinal();
        a[FROM_LOGITS] = fromLogits ? 1 : 0;
        return a;
    }

    static CtcOptions options(long[] a) {
        check(a);
        return CtcOptions.builder()
                .blank((int) a[BLANK])
                .reduction(CtcReduction.values()[(int) a[REDUCTION]])
                .zeroInfinity(a[ZERO_INFINITY] != 0)
                .layout(CtcLayout.values()[(int) a[LAYOUT]])
                .build();
    }

    static boolean fromLogits(long[] a) {
        check(a);
        return a[FROM_LOGITS] != 0;
    }

    private static void check(long[] a) {
        if (a == null || a.length < COUNT) {
            throw new IllegalStateException("CTC op arguments: expected " + COUNT + " integer arguments, got "
                    + (a == null ? "none" : String.valueOf(a.length)));
        }
    }
}
