package io.github.dl4jctc.layer;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * The features mask {@code [N, T]} (input lengths) an output layer receives from DL4J, held for exactly one
 * minibatch although DL4J never says when a minibatch without features mask begins.
 * <p>
 * DL4J M2.1 hands the features mask to the output layer through {@code feedForwardMaskArray} but, for a minibatch
 * without one, calls nothing at all; its only "clear" is {@code setMaskArray(null)} (MultiLayerNetwork's
 * {@code clearLayerMaskArrays}, ComputationGraph's {@code setLayerMaskArrays}). That call cannot drop the mask at
 * once: ComputationGraph also makes it between backprop and score of the same minibatch when there is no labels
 * mask (measured: the training score then ignored the input lengths). So the clear only <em>releases</em> the mask,
 * and a released mask is dropped when the next input arrives, i.e. when the next minibatch starts.
 */
final class FeaturesMaskHolder implements Serializable {
    private INDArray mask;
    private boolean released;

    /** A mask fed forward by the network (null: no features mask); it belongs to the minibatch being set up. */
    void fedForward(INDArray featuresMask) {
        this.mask = featuresMask;
        this.released = false;
    }

    /** The network cleared its masks: keep the mask for the current input only. */
    void release() {
        released = mask != null;
    }

    /** A new input arrived: a released mask belonged to the previous minibatch. */
    void inputSet() {
        if (released) {
            mask = null;
            released = false;
        }
    }

    void clear() {
        mask = null;
        released = false;
    }

    /** The mask for the current input, or null for "every example has all T frames". */
    INDArray get() {
        return mask;
    }
}
