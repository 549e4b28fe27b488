package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.ops.CtcArguments;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched CTC forced alignment: per sample, the most probable path that produces its target, with the semantics of
 * torchaudio's {@code forced_align} (which aligns one sample per call) and {@code merge_tokens}.
 *
 * <pre>{@code
 * List<CtcAlignment> alignments = CtcForcedAligner.align(logProbs, targets, inputLengths, targetLengths,
 *         CtcOptions.builder().layout(CtcLayout.NTC).build());
 * for (TokenSpan s : alignments.get(0).spans()) {
 *     System.out.printf("%s %.2f-%.2f s p=%.2f%n", vocab.tokenAt(s.token()), s.startTime(0.02), s.endTime(0.02),
 *             s.score());
 * }
 * }</pre>
 *
 * <p>Arguments, layouts and validation are those of {@link io.github.dl4jctc.ops.Ctc#loss} (the same validator):
 * {@code logProbs} {@code [T, N, C]} (TNC) or {@code [N, T, C]} (NTC) natural-log probabilities (log-softmax
 * output), targets padded {@code [N, S]} or concatenated, lengths {@code [N]}; the options' blank and layout are
 * used, reduction and zeroInfinity do not apply. Malformed arguments throw {@link IllegalArgumentException}; a
 * sample that cannot be aligned gives {@link CtcAlignment#feasible()} false while the others are aligned. NaN or
 * +inf among the log-probabilities of a sample's blank and target labels (the only classes a path can use) are
 * refused. Paths are computed in double; ties are broken as torchaudio does (see {@link TokenSpans} and the project's
 * docs/alignment.md). Samples run in parallel on the CTC kernels' threads; each sample being aligned holds
 * {@code T x (2 S + 1)} bytes of back-pointers and {@code T x K} doubles (K = its distinct target classes + 1), as
 * torchaudio's kernel does, so very long inputs with long transcripts are better cut into segments first.
 */
public final class CtcForcedAligner {

    private CtcForcedAligner() {
    }

    /**
     * @param logProbs      {@code [T, N, C]} (TNC) or {@code [N, T, C]} (NTC) natural-log probabilities, any
     *                      floating-point type
     * @param targets       {@code [N, S]} padded or 1-D concatenated class indices, not the blank
     * @param inputLengths  {@code [N]} valid frames per sample, each in {@code [0, T]}
     * @param targetLengths {@code [N]} labels per sample
     * @param options       blank and layout ({@link CtcOptions#defaults()}: blank 0, TNC)
     * @return one alignment per sample, in batch order
     * @throws IllegalArgumentException on malformed arguments (as {@link io.github.dl4jctc.ops.Ctc#loss}) or NaN /
     *                                  +inf log-probabilities on a sample's blank or target classes
     */
    public static List<CtcAlignment> align(INDArray logProbs, INDArray targets, INDArray inputLengths,
                                           INDArray targetLengths, CtcOptions options) {
        CtcArguments args = CtcArguments.validate(logProbs, targets, inputLengths, targetLengths, options,
                "logProbs");
        int n = args.batchSize();
        INDArray packed = packed(logProbs);
        DataBuffer buffer = packed.data();
        boolean timeMajor = options.layout() == CtcLayout.TNC;
        int maxTime = args.maxTime();
        int classes = args.numClasses();
        CtcAlignment[] result = new CtcAlignment[n];
        long[] cost = new long[n];
        for (int i = 0; i < n; i++) {
            cost[i] = (long) args.inputLength(i) * (2L * args.target(i).length + 1);
            CtcViterbi.checkTableSize(args.inputLength(i), args.target(i).length, "sample " + i);
        }
        CtcArguments.forEachSample(cost, i -> {
            long sampleStart = timeMajor ? (long) i * classes : (long) i * maxTime * classes;
            long frameStride = timeMajor ? (long) n * classes : classes;
            result[i] = alignSample((t, c) -> buffer.getDouble(sampleStart + t * frameStride + c), i,
                    args.inputLength(i), args.target(i), args.blank());
        });
        return new ArrayList<>(Arrays.asList(result));
    }

    /**
     * Aligns one sample given as plain arrays, for log-probabilities from outside DL4J (ONNX Runtime, TensorFlow
     * Java).
     *
     * @param logProbs {@code [T][C]} natural-log probabilities; T may be 0
     * @param target   the labels, each in {@code [0, C)} and not {@code blank}
     * @param blank    the blank class, in {@code [0, C)}
     * @throws IllegalArgumentException on ragged rows, labels or blank out of range, a blank label, NaN or +inf
     */
    public static CtcAlignment align(float[][] logProbs, int[] target, int blank) {
        if (blank < 0) {
            throw new IllegalArgumentException("blank: got " + blank + ", expected an index >= 0");
        }
        if (logProbs == null) {
            throw new IllegalArgumentException("logProbs: got null, expected [T][C] log-probabilities");
        }
        if (target == null) {
            throw new IllegalArgumentException("target: got null, expected the class indices to align");
        }
        int classes = logProbs.length == 0 || logProbs[0] == null ? 0 : logProbs[0].length;
        for (int t = 0; t < logProbs.length; t++) {
            if (logProbs[t] == null || logProbs[t].length != classes) {
                throw new IllegalArgumentException("logProbs: got " + (logProbs[t] == null ? "null"
                        : logProbs[t].length + " classes") + " at frame " + t + ", expected " + classes
                        + " as at frame 0");
            }
        }
        if (logProbs.length > 0 && blank >= classes) {
            throw new IllegalArgumentException("blank: got " + blank + ", expected an index in [0, " + classes + ")");
        }
        for (int s = 0; s < target.length; s++) {
            if (target[s] < 0 || (logProbs.length > 0 && target[s] >= classes) || target[s] == blank) {
                throw new IllegalArgumentException("target: got " + target[s] + " at position " + s
                        + ", expected a class index in [0, " + (logProbs.length > 0 ? classes + "" : "C")
                        + ") other than blank = " + blank);
            }
        }
        CtcViterbi.checkTableSize(logProbs.length, target.length, "logProbs");
        return alignSample((t, c) -> logProbs[(int) t][c], 0, logProbs.length, target.clone(), blank);
    }

    /** Where a sample's log-probabilities are read from: frame t, class c. */
    private interface FrameValues {
        double get(long t, int c);
    }

    /**
     * One sample: only the blank and the target's classes take part in a path, so they are gathered into a compact
     * {@code [frames, K]} matrix (K <= target length + 1) instead of reading all C classes per frame.
     */
    private static CtcAlignment alignSample(FrameValues source, int sample, int frames, int[] target, int blank) {
        int[] classOf = distinctClasses(target, blank);
        int[] compact = new int[target.length];
        for (int s = 0; s < target.length; s++) {
            compact[s] = Arrays.binarySearch(classOf, target[s]);
        }
        int k = classOf.length;
        double[] values = new double[frames * k];
        for (int t = 0; t < frames; t++) {
            for (int j = 0; j < k; j++) {
                double v = source.get(t, classOf[j]);
                if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("logProbs: got " + v + " at sample " + sample + ", frame " + t
                            + ", class " + classOf[j] + ", expected a natural-log probability (finite or -inf)");
                }
                values[t * k + j] = v;
            }
        }
        CtcViterbi.Path path = CtcViterbi.align(values, 0, frames, k, compact, Arrays.binarySearch(classOf, blank));
        return CtcAlignment.of(path == null ? null : expand(path, classOf), blank);
    }

    /** The blank and the target's classes, sorted, without duplicates. */
    private static int[] distinctClasses(int[] target, int blank) {
        int[] all = Arrays.copyOf(target, target.length + 1);
        all[target.length] = blank;
        return Arrays.stream(all).sorted().distinct().toArray();
    }

    private static CtcViterbi.Path expand(CtcViterbi.Path path, int[] classOf) {
        int[] labels = path.frameLabels();
        for (int t = 0; t < labels.length; t++) {
            labels[t] = classOf[labels[t]];
        }
        return new CtcViterbi.Path(labels, path.frameScores(), path.logProbability());
    }

    /** The log-probabilities packed in c order from their buffer's start, FLOAT or DOUBLE (else a copy). */
    private static INDArray packed(INDArray logProbs) {
        boolean readable = logProbs.dataType() == DataType.FLOAT || logProbs.dataType() == DataType.DOUBLE;
        // ND4J's own test for c-order strides; views that start further into their buffer are copied.
        if (readable && logProbs.offset() == 0 && Shape.hasDefaultStridesForShape(logProbs)
                && logProbs.data().length() >= logProbs.length()) {
            return logProbs;
        }
        return (readable ? logProbs : logProbs.castTo(DataType.FLOAT)).dup('c');
    }
}
