package io.github.dl4jctc.scaleout;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An identity preprocessor written the way that breaks scale-out: no no-arg constructor, so Jackson can write it
 * but not read it back (the worker copies of a network are built from the configuration JSON).
 */
final class UnreadablePreProcessor implements InputPreProcessor {
    private final int size;

    UnreadablePreProcessor(int size) {
        this.size = size;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input);
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, output);
    }

    @Override
    public InputPreProcessor clone() {
        return new UnreadablePreProcessor(size);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return inputType;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }
}
