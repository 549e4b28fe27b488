package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.ops.CtcReduction;
import io.github.dl4jctc.zoo.util.OneDnnHelpers;
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
import io.github.dl4jctc.layer.recurrent.FusedBidirectionalLstm;
import io.github.dl4jctc.layer.recurrent.MaskedBidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The OCR network, a small CRNN: three or more convolution blocks (3x3 convolution, the first three with stride,
 * batch normalisation, ReLU) and a max pooling shrink a {@code [N, 1, H, W]} line image to
 * {@code [N, C, H/16, W/4]};
 * {@link ColumnsToSequencePreProcessor} makes that a sequence of {@code W/4} column vectors; a bidirectional LSTM
 * reads it; {@link CtcOutputLayer} gives per-column class probabilities {@code [N, classes, W/4]}.
 *
 * <p>Speed: {@link #create} turns on DL4J's layer helpers ({@link OneDnnHelpers}), so that convolutions, batch
 * normalisation and pooling run as ND4J native operations (oneDNN in zoo-examples' {@code -onednn} native build)
 * rather than DL4J's Java-side im2col; a training step then spends most of its time in the LSTM, whose many small
 * per-time-step operations DL4J runs one by one. Strided convolutions (rather than full resolution followed by
 * pooling) keep the convolutions cheap all the same (a 3x3 window at stride 2 still sees every pixel).
 *
 * <p>Variable widths: the features mask {@code [N, 1, 1, W]} (1 for a sample's own columns, 0 for the padding of a
 * wider batch) is shrunk by the strided layers to {@code [N, 1, 1, W/4]} (DL4J max-pools it with each layer's
 * kernel and stride), turned into {@code [N, W/4]} by the preprocessor, and gives the LSTM and the CTC loss each
 * sample's number of frames. Widths are multiples of 4; a line {@code w} columns wide gets {@code w/4} frames when
 * it is the widest of its minibatch and {@code w/4 + 1} otherwise: the 3-wide window at stride 2 that straddles the
 * end of the line counts as valid in DL4J 1.0.0-M2.1's "Same"-mode mask reduction (checked for every width from 4
 * to 116 in a minibatch 120 wide). That extra frame shows paper; CTC emits a blank there.
 */
public final class CrnnModel {

    /** Horizontal downsampling: one output frame per this many image columns. */
    public static final int WIDTH_DOWNSAMPLING = 4;
    /** Vertical downsampling: the image height must be a multiple of this. */
    public static final int HEIGHT_DOWNSAMPLING = 16;

    /**
     * Strides (height, width) of the first three convolution blocks: 2x2, 2x2, 2x1; any further block keeps the
     * resolution (stride 1). A 2x1 max pooling follows the last block.
     */
    private static final int[][] STRIDES = {{2, 2}, {2, 2}, {2, 1}};

    /**
     * Network sizes.
     *
     * @param channels channels of the convolution blocks, at least {@value #MIN_BLOCKS} of them (the downsampling
     *                 ones); further blocks work at the lowest resolution
     * @param lstmSize units of each LSTM direction
     */
    public record Size(int[] channels, int lstmSize) {
        public Size {
            if (channels.length < STRIDES.length) {
                throw new IllegalArgumentException("channels: got " + channels.length + " blocks, expected at least "
                        + STRIDES.length);
            }
            for (int c : channels) {
                if (c < 1) {
                    throw new IllegalArgumentException("channels must all be at least 1, got "
                            + java.util.Arrays.toString(channels));
                }
            }
            if (lstmSize < 1) {
                throw new IllegalArgumentException("lstmSize must be at least 1, got " + lstmSize);
            }
        }

        /**
         * The default network (about 0.65 M parameters): four convolution blocks of 32, 64, 128 and 128 channels
         * and 128 LSTM units a direction: it learns the most per step of the sizes compared in docs/benchmarks.md
         * at a modest cost per step (the LSTM's per-time-step overhead dominates either way).
         */
        public static Size standard() {
            return new Size(new int[]{32, 64, 128, 128}, 128);
        }

        /** A smaller, faster network for the quick mode and tests. */
        public static Size small() {
            return new Size(new int[]{16, 32, 48}, 64);
        }
    }

    /** The bidirectional LSTM over the column sequence (all three compute a bidirectional LSTM of the same size). */
    public enum Recurrent {
        /** {@link MaskedBidirectional} of DL4J's LSTM: exact with ragged widths (the default). */
        MASKED_BIDIRECTIONAL,
        /**
         * {@link FusedBidirectionalLstm}: libnd4j's fused op, exact with ragged widths and a faster step, but M2.1's
         * {@code lstmLayer_bp} leaks native memory on every call, so a run of thousands of steps runs out of memory.
         */
        FUSED,
        /** DL4J's own {@link Bidirectional} of its LSTM: its backward direction reads the padding first. */
        DL4J_BIDIRECTIONAL
    }

    /** Convolution blocks that downsample; {@link Size#channels()} lists at least this many. */
    public static final int MIN_BLOCKS = 3;

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
        return configuration(height, classes, size, learningRate, seed, Recurrent.MASKED_BIDIRECTIONAL);
    }

    /**
     * As {@link #configuration(int, int, Size, ISchedule, long)} with the given recurrent layer.
     *
     * @param recurrent the bidirectional LSTM implementation
     */
    public static MultiLayerConfiguration configuration(int height, int classes, Size size, ISchedule learningRate,
                                                        long seed, Recurrent recurrent) {
        if (height < HEIGHT_DOWNSAMPLING || height % HEIGHT_DOWNSAMPLING != 0) {
            throw new IllegalArgumentException("height: got " + height + ", expected a positive multiple of "
                    + HEIGHT_DOWNSAMPLING);
        }
        int[] ch = size.channels();
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
        for (int b = 0; b < ch.length; b++) {
            int[] stride = b < STRIDES.length ? STRIDES[b] : new int[]{1, 1};
            list.layer(layer++, new ConvolutionLayer.Builder(3, 3).stride(stride).nOut(ch[b]).hasBias(false)
                    .activation(Activation.IDENTITY).build());
            list.layer(layer++, new BatchNormalization.Builder().activation(Activation.RELU).build());
        }
        list.layer(layer++, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 1).stride(2, 1).convolutionMode(ConvolutionMode.Truncate).build());
        int last = ch[ch.length - 1];
        int featureHeight = height / HEIGHT_DOWNSAMPLING;
        list.inputPreProcessor(layer, new ColumnsToSequencePreProcessor(last, featureHeight));
        list.layer(layer++, recurrentLayer(recurrent, (long) last * featureHeight, size.lstmSize()));
        list.layer(layer, new CtcOutputLayer.Builder().nIn(2L * size.lstmSize()).nOut(classes)
                .blankIndex(0).reduction(CtcReduction.MEAN).dataFormat(RNNFormat.NCW)
                .weightInit(WeightInit.XAVIER).build());
        // The width given here only serves shape inference; any width works at run time.
        return list.setInputType(InputType.convolutional(height, 128, 1)).build();
    }

    private static org.deeplearning4j.nn.conf.layers.Layer recurrentLayer(Recurrent recurrent, long nIn, int units) {
        if (recurrent == null) {
            throw new IllegalArgumentException("recurrent: got null, expected one of "
                    + java.util.Arrays.toString(Recurrent.values()));
        }
        if (recurrent == Recurrent.FUSED) {
            return new FusedBidirectionalLstm.Builder().nIn(nIn).nOut(units).mode(Bidirectional.Mode.CONCAT)
                    .activation(Activation.TANH).weightInit(WeightInit.XAVIER).build();
        }
        LSTM lstm = new LSTM.Builder().nIn(nIn).nOut(units).activation(Activation.TANH)
                .weightInit(WeightInit.XAVIER).build();
        return recurrent == Recurrent.DL4J_BIDIRECTIONAL ? new Bidirectional(Bidirectional.Mode.CONCAT, lstm)
                : new MaskedBidirectional(Bidirectional.Mode.CONCAT, lstm);
    }

    /**
     * {@link #configuration} as an initialised network, its convolutions, batch normalisations and pooling running
     * through ND4J's native (oneDNN) operations ({@link OneDnnHelpers}).
     */
    public static MultiLayerNetwork create(int height, int classes, Size size, ISchedule learningRate, long seed) {
        return create(height, classes, size, learningRate, seed, Recurrent.MASKED_BIDIRECTIONAL);
    }

    /** As {@link #create(int, int, Size, ISchedule, long)} with the given recurrent layer. */
    public static MultiLayerNetwork create(int height, int classes, Size size, ISchedule learningRate, long seed,
                                           Recurrent recurrent) {
        OneDnnHelpers.enable();
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(height, classes, size, learningRate, seed,
                recurrent));
        network.init();
        return network;
    }
}
