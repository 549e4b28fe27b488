package io.github.dl4jctc.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CTC loss with the semantics of PyTorch's {@code torch.nn.functional.ctc_loss}. (API stub: implementation
 * in progress.)
 */
public final class Ctc {
    private Ctc() {
    }

    public static INDArray loss(INDArray logProbs, INDArray targets, INDArray inputLengths, INDArray targetLengths,
                                CtcOptions options) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public static CtcResult lossAndGradient(INDArray logProbs, INDArray targets, INDArray inputLengths,
                                            INDArray targetLengths, CtcOptions options) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public static CtcResult lossAndGradientFromLogits(INDArray logits, INDArray targets, INDArray inputLengths,
                                                      INDArray targetLengths, CtcOptions options) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public static SDVariable loss(SameDiff sd, String name, SDVariable logProbs, SDVariable targets,
                                  SDVariable inputLengths, SDVariable targetLengths, CtcOptions options) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public static SDVariable lossFromLogits(SameDiff sd, String name, SDVariable logits, SDVariable targets,
                                            SDVariable inputLengths, SDVariable targetLengths, CtcOptions options) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
