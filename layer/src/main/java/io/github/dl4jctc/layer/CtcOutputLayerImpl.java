package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcResult;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runtime half of {@link CtcOutputLayer}: the time-distributed dense projection ({@link TimeDistributedProjection})
 * followed by the CTC loss on its logits ({@link CtcLayerRuntime}, shared with {@link CtcLossLayerImpl}).
 * <p>
 * Not an {@code ILossFunction} on DL4J's {@code BaseOutputLayer}: that interface scores labels shaped like the
 * output ({@code [N, C, T]}) element by element under one mask, whereas CTC takes labels {@code [N, S]} of another
 * length, two masks that DL4J hands over through different calls (input lengths, target lengths) and a per-sequence
 * loss from a forward-backward recursion.
 */
public class CtcOutputLayerImpl extends CtcLayerRuntime<CtcOutputLayer> {

    private final TimeDistributedProjection projection = new TimeDistributedProjection();

    public CtcOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    long numClasses() {
        return layerConf().getNOut();
    }

    @Override
    INDArray logits(boolean training, LayerWorkspaceMgr workspaceMgr, ArrayType workingMemory) {
        return frames(training, workspaceMgr, workingMemory).logits3d();
    }

    @Override
    INDArray probabilities(boolean training, LayerWorkspaceMgr workspaceMgr) {
        TimeDistributedProjection.Frames frames = frames(training, workspaceMgr, ArrayType.FF_WORKING_MEM);
        Nd4j.exec(new SoftMax(frames.logits, frames.logits, 1)); // in place
        return toLayerFormat(frames.logits3d(), ArrayType.ACTIVATIONS, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return endingTheMinibatchOnFailure(() -> {
            assertInputSet(true);
            applyDropOutIfNecessary(true, workspaceMgr);
            TimeDistributedProjection.Frames frames = frames(true, workspaceMgr, ArrayType.BP_WORKING_MEM);
            INDArray logits = frames.logits3d();
            // The gradient in working memory of the layer's workspace, which costs nothing after the first iteration
            // where a fresh array costs its size in page faults.
            INDArray into = writesGradientInto(logits.dataType())
                    ? workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, logits.dataType(), logits.shape(),
                    'c')
                    : null;
            CtcResult result = lossAndGradient(logits, into);
            INDArray delta = result.gradient().reshape('c', frames.n * frames.t, layerConf().getNOut());
            // The minibatch scale as the products' factor, not a pass of its own over delta ([N*T, C]).
            double scale = minibatchScale(frames.n);

            Gradient gradient = new DefaultGradient();
            INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
            INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            projection.parameterGradients(frames, delta, scale, weightGrad, biasGrad);
            gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);

            INDArray epsilonNext = projection.epsilon(frames, delta, scale, workspaceMgr);
            // The noisy weights (if any) are kept for the score of this same iteration; the network clears them.
            return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
        });
    }

    @Override
    public Layer clone() {
        CtcOutputLayerImpl copy = new CtcOutputLayerImpl(conf, dataType);
        Map<String, INDArray> paramsCopy = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            paramsCopy.put(e.getKey(), e.getValue().dup());
        }
        copy.setParamTable(paramsCopy);
        copy.setIndex(index);
        copy.setListeners(trainingListeners);
        return copy;
    }

    private TimeDistributedProjection.Frames frames(boolean training, LayerWorkspaceMgr workspaceMgr,
                                                    ArrayType workingMemory) {
        long nIn = layerConf().getNIn();
        long featureAxisSize = input.rank() == 3 ? input.size(isNcw() ? 1 : 2) : -1;
        if (input.rank() != 3 || featureAxisSize != nIn) {
            throw new IllegalArgumentException("input: got shape " + Arrays.toString(input.shape()) + ", expected "
                    + formatShape("nIn") + " with nIn = " + nIn + " " + layerId());
        }
        INDArray weights = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray bias = getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr);
        return projection.forward(input, isNcw(), weights, bias, workspaceMgr, workingMemory);
    }
}
