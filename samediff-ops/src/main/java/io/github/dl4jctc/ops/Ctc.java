package io.github.dl4jctc.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CTC (connectionist temporal classification) loss with exactly the semantics of PyTorch's
 * {@code torch.nn.functional.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction,
 * zero_infinity)}, eagerly on {@link INDArray}s or as a differentiable {@link SameDiff} op.
 *
 * <h2>Arguments</h2>
 * <ul>
 *   <li>{@code logProbs} / {@code logits}: {@code [T, N, C]} for {@link CtcLayout#TNC} (the default) or
 *   {@code [N, T, C]} for {@link CtcLayout#NTC}; FLOAT or DOUBLE (HALF and BFLOAT16 are computed in FLOAT);
 *   {@code logProbs} are expected to be log-softmax outputs.</li>
 *   <li>{@code targets}: class indices, padded {@code [N, S]} (entries past a sample's target length are
 *   ignored) or concatenated 1-D of length {@code sum(targetLengths)}; any integer type, or a floating type
 *   holding whole numbers. Each label must lie in {@code [0, C)} and differ from the blank.</li>
 *   <li>{@code inputLengths}: {@code [N]}, each in {@code [0, T]}; {@code targetLengths}: {@code [N]}, each
 *   {@code >= 0} and {@code <= S} for padded targets. Types as for targets.</li>
 * </ul>
 * A target length of 0 is valid (loss {@code -sum_t log p_t(blank)}). A sample whose input is too short for its
 * target (including the blanks forced between repeated labels) has loss +inf and a NaN gradient, or loss 0 and
 * zero gradient with {@link CtcOptions#zeroInfinity()}. NaN in the scores gives NaN in the loss. Frames past
 * {@code inputLengths[n]} get zero gradient.
 * <p>
 * Every malformed argument is refused with an {@link IllegalArgumentException} naming it, before any native
 * call (in a SameDiff graph: when the graph runs, since that is when the values are known).
 *
 * <h2>Reductions</h2>
 * NONE: per-sample losses {@code [N]}; SUM: their sum; MEAN (default): each loss divided by
 * {@code max(targetLength, 1)}, then the mean over the batch.
 */
public final class Ctc {
    static {
        CtcOpRegistry.register();
    }

    private Ctc() {
    }

    /**
     * Registers the CTC op classes with ND4J's op lookup. Call it before {@code SameDiff.load} /
     * {@code SameDiff.fromFlatFile} of a graph containing CTC ops in a JVM that has not used {@link Ctc} yet.
     */
    public static void registerOps() {
        CtcOpRegistry.register();
    }

    /** The loss: {@code [N]} for {@link CtcReduction#NONE}, a scalar otherwise, in the log-probs' data type. */
    public static INDArray loss(INDArray logProbs, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                                CtcOptions options) {
        return CtcLossEngine.loss(logProbs, targets, inputLengths, targetLengths, options, false);
    }

    /**
     * The loss of {@code log_softmax(logits)} (over the class axis), without a gradient: {@code [N]} for
     * {@link CtcReduction#NONE}, a scalar otherwise, in the logits' data type. Prefer it to taking the
     * log-softmax first with ND4J's op, which computes log(softmax) and gives -inf for a class more than ~103
     * (float32) or ~745 (float64) below its frame's best.
     */
    public static INDArray lossFromLogits(INDArray logits, INDArray targets, INDArray inputLengths,
                                          INDArray targetLengths, CtcOptions options) {
        return CtcLossEngine.loss(logits, targets, inputLengths, targetLengths, options, true);
    }

    /**
     * The loss and its gradient with respect to {@code logProbs} (the true partial derivatives: minus the
     * per-frame label posteriors, scaled by the reduction), same shape and layout as {@code logProbs}. For
     * {@link CtcReduction#NONE} the gradient is that of the sum of the per-sample losses.
     */
    public static CtcResult lossAndGradient(INDArray logProbs, INDArray targets, INDArray inputLengths,
                                            INDArray targetLengths, CtcOptions options) {
        return CtcLossEngine.lossAndGradient(logProbs, targets, inputLengths, targetLengths, options, false);
    }

    /**
     * The loss of {@code log_softmax(logits)} (over the class axis) and its gradient with respect to the
     * {@code logits} ({@code softmax - posterior}, scaled by the reduction), same shape and layout as the logits.
     */
    public static CtcResult lossAndGradientFromLogits(INDArray logits, INDArray targets, INDArray inputLengths,
                                                      INDArray targetLengths, CtcOptions options) {
        return CtcLossEngine.lossAndGradient(logits, targets, inputLengths, targetLengths, options, true);
    }

    /**
     * As {@link #lossAndGradientFromLogits(INDArray, INDArray, INDArray, INDArray, CtcOptions)}, writing the
     * gradient into {@code gradient} rather than a new array: for a caller that allocates it from its own
     * workspace (a DL4J layer's working memory), which costs nothing after the first call where a fresh array costs
     * its size in page faults (docs/benchmarks.md).
     *
     * @param gradient same shape, layout and data type as {@code logits} (FLOAT or DOUBLE; {@code [T, N, C]}
     *                 for TNC), packed in c order from the start of its buffer (not a view into a larger array)
     *                 and not sharing the logits' buffer; every element is written
     * @return the loss, and {@code gradient} as the gradient
     */
    public static CtcResult lossAndGradientFromLogits(INDArray logits, INDArray targets, INDArray inputLengths,
                                                      INDArray targetLengths, CtcOptions options, INDArray gradient) {
        return CtcLossEngine.lossAndGradientInto(logits, targets, inputLengths, targetLengths, options, true,
                gradient);
    }

    /**
     * As {@link #lossAndGradientFromLogits(INDArray, INDArray, INDArray, INDArray, CtcOptions, INDArray)}, the
     * gradient (not the loss) multiplied by {@code gradientScale} as it is written, at no extra pass over it: for a
     * framework whose gradient convention differs from the reduction's by a constant factor (a DL4J layer hands back
     * the minibatch size times the gradient of a minibatch mean).
     *
     * @param gradientScale a finite number
     */
    public static CtcResult lossAndGradientFromLogits(INDArray logits, INDArray targets, INDArray inputLengths,
                                                      INDArray targetLengths, CtcOptions options, INDArray gradient,
                                                      double gradientScale) {
        return CtcLossEngine.lossAndGradientInto(logits, targets, inputLengths, targetLengths, options, true,
                gradient, gradientScale);
    }

    /**
     * The CTC loss of {@code logProbs} as a SameDiff variable named {@code name} (may be null): {@code [N]} for
     * {@link CtcReduction#NONE}, a scalar otherwise. Differentiable with respect to {@code logProbs}.
     */
    public static SDVariable loss(SameDiff sd, String name, SDVariable logProbs, SDVariable targets,
                                  SDVariable inputLengths, SDVariable targetLengths, CtcOptions options) {
        return build(sd, name, logProbs, targets, inputLengths, targetLengths, options, false);
    }

    /**
     * The CTC loss of {@code log_softmax(logits)} as a SameDiff variable, the log-softmax fused into the op;
     * differentiable with respect to {@code logits}.
     */
    public static SDVariable lossFromLogits(SameDiff sd, String name, SDVariable logits, SDVariable targets,
                                            SDVariable inputLengths, SDVariable targetLengths, CtcOptions options) {
        return build(sd, name, logits, targets, inputLengths, targetLengths, options, true);
    }

    private static SDVariable build(SameDiff sd, String name, SDVariable scores, SDVariable targets,
                                    SDVariable inputLengths, SDVariable targetLengths, CtcOptions options,
                                    boolean fromLogits) {
        requireNotNull(sd, "sd");
        requireNotNull(scores, fromLogits ? "logits" : "logProbs");
        requireNotNull(targets, "targets");
        requireNotNull(inputLengths, "inputLengths");
        requireNotNull(targetLengths, "targetLengths");
        requireNotNull(options, "options");
        if (!scores.dataType().isFPType()) {
            throw new IllegalArgumentException((fromLogits ? "logits" : "logProbs") + ": got data type "
                    + scores.dataType() + ", expected a floating-point type");
        }
        SDVariable out = new CtcLossOp(sd, scores, targets, inputLengths, targetLengths, options, fromLogits)
                .outputVariables()[0];
        return name == null ? out : out.rename(name);
    }

    private static void requireNotNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + ": got null, expected a value");
        }
    }
}
