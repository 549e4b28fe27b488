package io.github.dl4jctc.scaleout.smoke;

import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The network for {@link DigitSequences}: one LSTM over the {@code [N, 11, T]} frames and a {@link CtcOutputLayer}
 * over the 11 classes (blank 0, digits 1..10), NCW throughout.
 */
public final class DigitSequenceNetwork {

    private DigitSequenceNetwork() {
    }

    /**
     * @param lstmSize     units of the LSTM, at least 1
     * @param learningRate Adam's learning rate, {@code > 0}
     * @param seed         weight initialisation seed
     */
    public static MultiLayerConfiguration configuration(int lstmSize, double learningRate, long seed) {
        if (lstmSize < 1) {
            throw new IllegalArgumentException("lstmSize: got " + lstmSize + ", expected at least 1");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate: got " + learningRate + ", expected a finite value > 0");
        }
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new LSTM.Builder().nOut(lstmSize).activation(Activation.TANH).build())
                .layer(new CtcOutputLayer.Builder().nOut(DigitSequences.VOCABULARY.size())
                        .blankIndex(DigitSequences.VOCABULARY.blankIndex()).reduction(CtcReduction.MEAN).build())
                .setInputType(InputType.recurrent(DigitSequences.FRAME_SIZE, RNNFormat.NCW))
                .build();
    }

    /** {@link #configuration} as an initialised network. */
    public static MultiLayerNetwork create(int lstmSize, double learningRate, long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(lstmSize, learningRate, seed));
        network.init();
        return network;
    }
}
