package io.github.dl4jctc.layer.recurrent;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Calls of libnd4j's {@code lstmLayer} and {@code lstmLayer_bp} with the integer, float and boolean arguments spelled
 * out in the order the native ops read them. ND4J's {@code LSTMLayer} op class (1.0.0-M2.1) lists the activations
 * as gate, output, cell where the native op documents gate, cell, output; this layer passes the same activation for
 * cell and output, so either reading gives the same function.
 */
final class FusedLstmOps {
    /** Native data format codes: {@code [N, T, C]} and {@code [N, C, T]}. */
    static final int NTS = 1;
    static final int NST = 2;
    /** Native direction code: forward only. */
    static final int FWD = 0;
    /** Native direction codes: both directions summed, both directions concatenated (forward first). */
    static final int BIDIR_SUM = 2;
    static final int BIDIR_CONCAT = 3;
    /** Native activation codes (libnd4j's table: 0 tanh, 2 sigmoid, 9 softsign). */
    private static final int TANH = 0;
    private static final int SIGMOID = 2;
    private static final int SOFTSIGN = 9;

    private FusedLstmOps() {
    }

    /**
     * @throws IllegalArgumentException for an activation other than TANH or SOFTSIGN
     */
    static int activationCode(Activation activation) {
        if (activation == Activation.TANH) {
            return TANH;
        }
        if (activation == Activation.SOFTSIGN) {
            return SOFTSIGN;
        }
        throw new IllegalArgumentException("activation: got " + activation
                + ", expected TANH or SOFTSIGN (the activations the fused lstmLayer op computes without parameters)");
    }

    /**
     * @param seqLen {@code [N]} int lengths, or {@code null} when every sequence fills the minibatch
     * @param h      output, {@code [N, k*nOut, T]} (NST) or {@code [N, T, k*nOut]} (NTS), k = 2 for BIDIR_CONCAT
     */
    static void forward(INDArray x, INDArray w, INDArray rw, INDArray b, INDArray seqLen, int format, int direction,
                        int activation, INDArray h) {
        INDArray[] in = seqLen == null ? new INDArray[]{x, w, rw, b} : new INDArray[]{x, w, rw, b, seqLen};
        Nd4j.exec(DynamicCustomOp.builder("lstmLayer").addInputs(in).addOutputs(h)
                .addIntegerArguments(format, direction, SIGMOID, activation, activation)
                .addFloatingPointArguments(0.0)
                .addBooleanArguments(true, seqLen != null, false, false, false, true, false, false)
                .build());
    }

    /**
     * Gradients of {@code sum(h * dLdh)}; {@code dW}, {@code dRw}, {@code dB} are overwritten.
     *
     * @param dSeqLen {@code [N]} float array the op requires as an output slot when {@code seqLen} is given (left
     *                untouched: lengths have no gradient)
     */
    static void backward(INDArray x, INDArray w, INDArray rw, INDArray b, INDArray seqLen, int format, int direction,
                         int activation, INDArray dLdh, INDArray dx, INDArray dW, INDArray dRw, INDArray dB,
                         INDArray dSeqLen) {
        INDArray[] in = seqLen == null ? new INDArray[]{x, w, rw, b, dLdh}
                : new INDArray[]{x, w, rw, b, seqLen, dLdh};
        INDArray[] out = seqLen == null ? new INDArray[]{dx, dW, dRw, dB} : new INDArray[]{dx, dW, dRw, dB, dSeqLen};
        Nd4j.exec(DynamicCustomOp.builder("lstmLayer_bp").addInputs(in).addOutputs(out)
                .addIntegerArguments(format, direction, SIGMOID, activation, activation)
                .addFloatingPointArguments(0.0)
                .addBooleanArguments(true, seqLen != null, false, false, false, true, false, false)
                .build());
    }
}
