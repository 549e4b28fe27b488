package io.github.dl4jctc.zoo.ocr;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * Turns convolutional activations into a sequence over image columns: {@code [N, C, H, W]} (NCHW) becomes
 * {@code [N, C*H, W]} (NCW), so that a recurrent layer reads the image left to right, one column of features per
 * time step. This is the "collapse the height" step of a CRNN.
 *
 * <p>DL4J's own {@code CnnToRnnPreProcessor} does something else (it treats {@code N*T} images as one image per time
 * step), hence this class.
 *
 * <p>Masks: DL4J carries a CNN features mask {@code [N, 1, 1, W]} (or {@code [N, 1, H, W]}, {@code [N, C, H, W]})
 * through convolution and pooling layers, shrinking its width with theirs. Here it becomes the recurrent mask
 * {@code [N, W]}: column {@code w} of sample {@code n} counts as a time step iff {@code mask[n, 0, 0, w]} is non-zero.
 */
public class ColumnsToSequencePreProcessor implements InputPreProcessor {

    private static final long serialVersionUID = 1L;

    // DL4J's Jackson mapper reads getters by default; these fields have none.
    @JsonProperty("channels")
    private long channels;
    @JsonProperty("height")
    private long height;

    /** For Jackson and Java serialisation. */
    private ColumnsToSequencePreProcessor() {
    }

    /**
     * @param channels channels C of the convolutional input
     * @param height   height H of the convolutional input (the width may differ between minibatches)
     */
    public ColumnsToSequencePreProcessor(long channels, long height) {
        if (channels < 1 || height < 1) {
            throw new IllegalArgumentException("channels, height: got " + channels + ", " + height
                    + ", expected at least 1 each");
        }
        this.channels = channels;
        this.height = height;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() != 4 || input.size(1) != channels || input.size(2) != height) {
            throw new IllegalArgumentException("input: got shape " + Arrays.toString(input.shape())
                    + ", expected CNN activations [N, C=" + channels + ", H=" + height + ", W]");
        }
        if (input.ordering() != 'c' || !Shape.hasDefaultStridesForShape(input)) {
            input = workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
        }
        // C and H are adjacent in c order, so this reshape is a view: feature index = c * H + h.
        INDArray sequence = input.reshape('c', input.size(0), channels * height, input.size(3));
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, sequence);
    }

    @Override
    public INDArray backprop(INDArray epsilon, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (epsilon.rank() != 3 || epsilon.size(1) != channels * height) {
            throw new IllegalArgumentException("epsilon: got shape " + Arrays.toString(epsilon.shape())
                    + ", expected [N, C*H=" + channels * height + ", W]");
        }
        if (epsilon.ordering() != 'c' || !Shape.hasDefaultStridesForShape(epsilon)) {
            epsilon = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon, 'c');
        }
        INDArray image = epsilon.reshape('c', epsilon.size(0), channels, height, epsilon.size(2));
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, image);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray mask, MaskState state, int minibatchSize) {
        if (mask == null || mask.rank() == 2) {
            return new Pair<>(mask, state);
        }
        if (mask.rank() != 4) {
            throw new IllegalArgumentException("mask: got shape " + Arrays.toString(mask.shape())
                    + ", expected a CNN mask [N, 1 or C, 1 or H, W] or a sequence mask [N, W]");
        }
        // Masks live outside workspaces, like the DataSet's mask they come from.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray columns = mask.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(0),
                    NDArrayIndex.all());
            return new Pair<>(columns.dup('c'), state);
        }
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional)) {
            throw new IllegalArgumentException("inputType: got " + inputType + ", expected convolutional");
        }
        InputType.InputTypeConvolutional cnn = (InputType.InputTypeConvolutional) inputType;
        return InputType.recurrent(cnn.getChannels() * cnn.getHeight(), cnn.getWidth());
    }

    @Override
    public ColumnsToSequencePreProcessor clone() {
        return new ColumnsToSequencePreProcessor(channels, height);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnsToSequencePreProcessor other && other.channels == channels
                && other.height == height;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(channels) * 31 + Long.hashCode(height);
    }

    @Override
    public String toString() {
        return "ColumnsToSequencePreProcessor(channels=" + channels + ", height=" + height + ")";
    }
}
