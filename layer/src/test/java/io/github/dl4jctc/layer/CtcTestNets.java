package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Networks made of a single {@link CtcOutputLayer} with W = identity and b = 0, whose logits are their input. */
final class CtcTestNets {
    private CtcTestNets() {
    }

    static CtcOutputLayer identityLayer(GoldenCtcCase g, CtcReduction reduction, RNNFormat format) {
        return new CtcOutputLayer.Builder().nIn(g.c).nOut(g.c).blankIndex(g.blank).reduction(reduction)
                .zeroInfinity(g.zeroInfinity).dataFormat(format).build();
    }

    static MultiLayerNetwork identityMln(GoldenCtcCase g, CtcReduction reduction, RNNFormat format, DataType type,
                                         WorkspaceMode workspaceMode) {
        MultiLayerConfiguration conf = base(type, workspaceMode).list()
                .layer(identityLayer(g, reduction, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        setIdentity(net.getLayer(0), g.c, type);
        return net;
    }

    static ComputationGraph identityGraph(GoldenCtcCase g, CtcReduction reduction, RNNFormat format, DataType type,
                                          WorkspaceMode workspaceMode) {
        ComputationGraphConfiguration conf = base(type, workspaceMode).graphBuilder()
                .addInputs("in")
                .addLayer("ctc", identityLayer(g, reduction, format), "in")
                .setOutputs("ctc")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        setIdentity(net.getLayer("ctc"), g.c, type);
        return net;
    }

    private static NeuralNetConfiguration.Builder base(DataType type, WorkspaceMode workspaceMode) {
        return new NeuralNetConfiguration.Builder().dataType(type).seed(12345).updater(new NoOp())
                .trainingWorkspaceMode(workspaceMode).inferenceWorkspaceMode(workspaceMode);
    }

    private static void setIdentity(org.deeplearning4j.nn.api.Layer layer, int c, DataType type) {
        layer.setParam(DefaultParamInitializer.WEIGHT_KEY, Nd4j.eye(c).castTo(type));
        INDArray zeros = Nd4j.zeros(type, 1, c);
        layer.setParam(DefaultParamInitializer.BIAS_KEY, zeros);
    }
}
