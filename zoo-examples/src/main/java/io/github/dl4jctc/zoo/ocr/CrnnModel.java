package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The OCR network, a small CRNN: four convolution blocks (3x3 convolution, batch normalisation, ReLU, max pooling)
 * shrink a {@code [N, 1, H, W]} line image to {@code [N, C, H/16, W/4]}; {@link ColumnsToSequencePreProcessor}
 * makes that a sequence of {@code W/4} column vectors; a bidirectional LSTM reads it; {@link CtcOutputLayer} gives
 * per-column class probabilities {@code [N, classes, W/4]}.
 *
 * <p>Variable widths: the features mask {@code [N, 1, 1, W]} (1 for a sample's own columns, 0 for the padding of a
 * wider batch) is shrunk by the pooling layers to {@code [N, 1, 1, W/4]}, turned into {@code [N, W/4]} by the
 * preprocessor, and gives the LSTM and the CTC loss each sample's number of frames.
 */
public final class CrnnModel {

    /** Horizontal downsampling: one output frame per this many image columns. */
    public static final int WIDTH_DOWNSAMPLING = 4;
    /** Vertical downsampling: the image height must be a multiple of this. */
    public static final int HEIGHT_DOWNSAMPLING = 16;

    /**
     * Network sizes.
     *
     * @param channels channels of the four convolution blocks
     * @param lstmSize units of each LSTM direction
     */
    public record Size(int[] channels, int lstmSize) {
        public Size {
            if (channels.length != 4) {
                throw new IllegalArgumentException("channels must list 4 blocks, got " + channels.length);
            }
        }

        /** The default network (about 0.5 M parameters). */
        public static Size standard() {
            return new Size(new int[]{32, 64, 96, 96}, 128);
        }

        /** A smaller, faster network for the quick mode and tests. */
        public static Size small() {
            return new Size(new int[]{16, 32, 48, 48}, 64);
        }
    }

    private CrnnModel() {
    }

    /**
     * @param height       image height, a multiple of {@value #HEIGHT_DOWNSAMPLING}
     * @param classes      output classes, the blank (class 0) included
     * @param size         layer sizes
     * @param learningRate Adam's learning rate schedule (by iteration)
     * @param seed         weight initialisation seed
     */
    public static MultiLayerConfiguration configuration(int height, int classes, Size size, ISchedule learningRate,
                                                        long seed) {
        if (height < HEIGHT_DOWNSAMPLING || height % HEIGHT_DOWNSAMPLING != 0) {
            throw new IllegalArgumentException("height must be a positive multiple of " + HEIGHT_DOWNSAMPLING
                    + ", got " + height);
        }
        int[] ch = size.channels();
        // Pooling: 2x2, 2x2, then height only (2x1) twice, so the width is downsampled 4x and the height 16x.
        int[][] pool = {{2, 2}, {2, 2}, {2, 1}, {2, 1}};
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                // LSTMs trained with CTC occasionally see large gradients early on.
                .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(5.0)
                .list();
        int layer = 0;
        for (int b = 0; b < 4; b++) {
            list.layer(layer++, new ConvolutionLayer.Builder(3, 3).nOut(ch[b]).hasBias(false)
                    .activation(Activation.IDENTITY).build());
            list.layer(layer++, new BatchNormalization.Builder().activation(Activation.RELU).build());
            list.layer(layer++, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(pool[b]).stride(pool[b]).convolutionMode(ConvolutionMode.Truncate).build());
        }
        int featureHeight = height / HEIGHT_DOWNSAMPLING;
        list.inputPreProcessor(layer, new ColumnsToSequencePreProcessor(ch[3], featureHeight));
        list.layer(layer++, new Bidirectional(Bidirectional.Mode.CONCAT, new LSTM.Builder()
                .nIn((long) ch[3] * featureHeight).nOut(size.lstmSize()).activation(Activation.TANH)
                .weightInit(WeightInit.XAVIER).build()));
        list.layer(layer, new CtcOutputLayer.Builder().nIn(2L * size.lstmSize()).nOut(classes)
                .blankIndex(0).reduction(CtcReduction.MEAN).dataFormat(RNNFormat.NCW)
                .weightInit(WeightInit.XAVIER).build());
        // The width given here only serves shape inference; any width works at run time.
        return list.setInputType(InputType.convolutional(height, 128, 1)).build();
    }

    /** {@link #configuration} as an initialised network. */
    public static MultiLayerNetwork create(int height, int classes, Size size, ISchedule learningRate, long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(height, classes, size, learningRate, seed));
        network.init();
        return network;
    }
}
