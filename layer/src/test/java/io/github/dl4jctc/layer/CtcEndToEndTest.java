package io.github.dl4jctc.layer;

import io.github.dl4jctc.layer.eval.CtcEvaluation;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny network learns a synthetic transcription task end to end: digit strings (with repeats) spoken as
 * noisy one-hot frames at a random speed, each digit 1-3 frames with a silent frame between digits, padded to
 * the batch's longest sequence with a features mask. Trained with {@code fit}, evaluated with
 * {@code doEvaluation(..., new CtcEvaluation(vocab))} on held-out data.
 */
class CtcEndToEndTest {
    private static final CtcVocabulary VOCAB = CtcVocabulary.ofCharacters("0123456789");
    private static final int SILENCE = 10;          // the extra input channel
    private static final int CHANNELS = 11;

    /** One minibatch of the synthetic task. */
    private static DataSet minibatch(Random r, int size) {
        List<String> texts = new ArrayList<>();
        List<List<Integer>> frames = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + r.nextInt(6);
            for (int j = 0; j < length; j++) {
                // repeats are frequent: half the time the previous digit again
                char d = j > 0 && r.nextBoolean() ? text.charAt(j - 1) : (char) ('0' + r.nextInt(10));
                text.append(d);
            }
            List<Integer> f = new ArrayList<>();
            for (int j = 0; j < length; j++) {
                int speed = 1 + r.nextInt(3);
                for (int k = 0; k < speed; k++) f.add(text.charAt(j) - '0');
                f.add(SILENCE);
            }
            texts.add(text.toString());
            frames.add(f);
        }
        int t = frames.stream().mapToInt(List::size).max().orElse(1);
        INDArray features = Nd4j.zeros(DataType.FLOAT, size, CHANNELS, t);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, size, t);
        for (int i = 0; i < size; i++) {
            for (int k = 0; k < frames.get(i).size(); k++) {
                for (int ch = 0; ch < CHANNELS; ch++) {
                    double v = (ch == frames.get(i).get(k) ? 1.0 : 0.0) + 0.3 * r.nextGaussian();
                    features.putScalar(new int[]{i, ch, k}, v);
                }
                mask.putScalar(i, k, 1.0);
            }
        }
        CtcVocabulary.LabelBatch labels = VOCAB.toLabels(texts, DataType.FLOAT);
        return new DataSet(features, labels.labels(), mask, labels.mask());
    }

    private static List<DataSet> minibatches(long seed, int count, int size) {
        Random r = new Random(seed);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(minibatch(r, size));
        return out;
    }

    @Test
    void tinyNetworkLearnsToTranscribeToUnderFivePercentCer() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.FLOAT).updater(new Adam(0.01))
                .list()
                .layer(new Bidirectional(new LSTM.Builder().nIn(CHANNELS).nOut(24).activation(Activation.TANH).build()))
                .layer(new CtcOutputLayer.Builder().nIn(48).nOut(VOCAB.size()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        ListDataSetIterator<DataSet> train = new ListDataSetIterator<>(minibatches(1, 40, 32), 1);
        ListDataSetIterator<DataSet> heldOut = new ListDataSetIterator<>(minibatches(2, 8, 32), 1);
        double before = net.doEvaluation(heldOut, new CtcEvaluation(VOCAB))[0].characterErrorRate();
        heldOut.reset();
        long start = System.nanoTime();
        double cer = before;
        for (int epoch = 0; epoch < 15 && cer >= 0.04; epoch++) {
            net.fit(train);
            train.reset();
            cer = net.doEvaluation(heldOut, new CtcEvaluation(VOCAB))[0].characterErrorRate();
            heldOut.reset();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("end-to-end: held-out CER %.2f%% -> %.2f%% in %.1f s%n", 100 * before, 100 * cer, seconds);
        assertTrue(before > 0.5, "an untrained network should not transcribe: CER " + before);
        assertTrue(cer < 0.05, "held-out CER after training: " + cer);
    }
}
