package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import io.github.dl4jctc.layer.recurrent.MaskedBidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The speech network: a stack of bidirectional LSTMs over {@link SpeechFeatures} steps ({@code [N, F, T]}, NCW;
 * the frame stacking of the features is the subsampling), then {@link CtcOutputLayer} over characters
 * ({@code [N, classes, T]}). The features mask {@code [N, T]} gives each utterance's length.
 */
public final class SpeechModel {

    /**
     * Network sizes.
     *
     * @param lstmLayers bidirectional LSTM layers, at least 1
     * @param lstmSize   units of each LSTM direction
     */
    public record Size(int lstmLayers, int lstmSize) {
        public Size {
            if (lstmLayers < 1 || lstmSize < 1) {
                throw new IllegalArgumentException("lstmLayers and lstmSize must be at least 1, got " + lstmLayers
                        + " and " + lstmSize);
            }
        }

        /** The default network: two layers of 128 units per direction (about 0.6 M parameters). */
        public static Size standard() {
            return new Size(2, 128);
        }

        /** A smaller network for the quick mode and tests. */
        public static Size small() {
            return new Size(1, 96);
        }
    }

    private SpeechModel() {
    }

    /**
     * @param features     values per step ({@link SpeechFeatures#dimension()})
     * @param classes      output classes, the blank (class 0) included
     * @param size         layer sizes
     * @param learningRate Adam's learning rate schedule (by iteration)
     * @param seed         weight initialisation seed
     */
    public static MultiLayerConfiguration configuration(int features, int classes, Size size,
                                                        ISchedule learningRate, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER)
                .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(5.0)
                .list();
        int in = features;
        for (int i = 0; i < size.lstmLayers(); i++) {
            list.layer(new MaskedBidirectional(Bidirectional.Mode.CONCAT, new LSTM.Builder().nIn(in)
                    .nOut(size.lstmSize()).activation(Activation.TANH).build()));
            in = 2 * size.lstmSize();
        }
        list.layer(new CtcOutputLayer.Builder().nIn(in).nOut(classes).blankIndex(0).reduction(CtcReduction.MEAN)
                .dataFormat(RNNFormat.NCW).build());
        return list.setInputType(InputType.recurrent(features, RNNFormat.NCW)).build();
    }

    /** {@link #configuration} as an initialised network. */
    public static MultiLayerNetwork create(int features, int classes, Size size, ISchedule learningRate, long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(features, classes, size, learningRate,
                seed));
        network.init();
        return network;
    }
}
