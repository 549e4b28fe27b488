package io.github.dl4jctc.layer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Runtime half of {@link CtcLossLayer}: the CTC loss of its input logits ({@link CtcLayerRuntime}). The op reads
 * NWC input itself and NCW input moved into {@code [N, T, C]}; the epsilon is the op's gradient times the minibatch
 * scale, written by the op straight into the epsilon array with that scale for NWC and moved into {@code [N, C, T]}
 * with it for NCW. Moves and scaling run on the Java side for arrays in host memory, see {@link HostScaling}.
 */
public class CtcLossLayerImpl extends CtcLayerRuntime<CtcLossLayer> {

    public CtcLossLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    long numClasses() {
        if (input != null && input.rank() == 3) {
            return input.size(isNcw() ? 1 : 2);
        }
        return layerConf().getNOut();
    }

    /** NWC: the input itself. NCW: the input moved into {@code [N, T, C]} in working memory. */
    @Override
    INDArray logits(boolean training, LayerWorkspaceMgr workspaceMgr, ArrayType workingMemory) {
        checkInput();
        if (!isNcw()) {
            return input;
        }
        INDArray ntc = workspaceMgr.createUninitialized(workingMemory, input.dataType(),
                new long[]{input.size(0), input.size(2), input.size(1)}, 'c');
        HostScaling.scaledTranspose(input, ntc, 1.0);
        return ntc;
    }

    @Override
    INDArray probabilities(boolean training, LayerWorkspaceMgr workspaceMgr) {
        checkInput();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        return Nd4j.exec(new SoftMax(input, out, isNcw() ? 1 : 2))[0];
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return endingTheMinibatchOnFailure(() -> {
            assertInputSet(true);
            applyDropOutIfNecessary(true, workspaceMgr);
            INDArray logits = logits(true, workspaceMgr, ArrayType.BP_WORKING_MEM);
            DataType type = logits.dataType();
            double scale = minibatchScale(logits.size(0));
            INDArray epsilonNext;
            if (!writesGradientInto(type)) {
                INDArray gradient = lossAndGradient(logits, null).gradient().muli(scale);
                epsilonNext = toLayerFormat(gradient, ArrayType.ACTIVATION_GRAD, workspaceMgr);
            } else if (isNcw()) {
                INDArray gradient = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, logits.shape(),
                        'c');
                lossAndGradient(logits, gradient);
                epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type, input.shape(), 'c');
                HostScaling.scaledTranspose(gradient, epsilonNext, scale);
            } else {
                epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type, logits.shape(), 'c');
                lossAndGradient(logits, epsilonNext, scale);   // the op scales as it writes: no pass of its own
            }
            return new Pair<>(new DefaultGradient(), backpropDropOutIfPresent(epsilonNext));
        });
    }

    @Override
    public Layer clone() {
        CtcLossLayerImpl copy = new CtcLossLayerImpl(conf, dataType);
        copy.setIndex(index);
        copy.setListeners(trainingListeners);
        return copy;
    }

    private void checkInput() {
        long configured = layerConf().getNOut();
        long c = input.rank() == 3 ? input.size(isNcw() ? 1 : 2) : -1;
        if (input.rank() != 3 || (configured > 0 && c != configured)) {
            throw new IllegalArgumentException("input: got shape " + Arrays.toString(input.shape()) + ", expected "
                    + formatShape("C") + " logits" + (configured > 0 ? " with C = " + configured : "") + " "
                    + layerId());
        }
        CtcLossLayer.checkBlank(layerConf().getBlankIndex(), c);
    }
}
