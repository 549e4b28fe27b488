package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
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
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Confidence and timestamps from a trained network: a small bidirectional LSTM + {@link CtcOutputLayer} learns digit strings "spoken" as noisy one-hot frames (each digit 1-3 frames, a silent frame after
 * each), noisy enough that the trained model still makes mistakes. On held-out data: wrong tokens get lower
 * confidence than right ones, and the forced alignment of the true text puts each digit's span over the frames where
 * the generator placed it (its span overlaps them).
 */
class CtcTrainedModelConfidenceTest {
    private static final CtcVocabulary VOCAB = CtcVocabulary.ofCharacters("0123456789");
    private static final int SILENCE = 10;
    private static final int CHANNELS = 11;
    private static final double NOISE = 0.35;

    /** A minibatch and, per sample, the text and the first/last frame of each digit. */
    private record Batch(DataSet data, List<int[]> texts, List<int[][]> digitFrames, int[] lengths) {
    }

    private static Batch minibatch(Random r, int size) {
        List<String> texts = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        List<List<Integer>> frames = new ArrayList<>();
        List<int[][]> digitFrames = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int length = 2 + r.nextInt(6);
            int[] digits = new int[length];
            List<Integer> f = new ArrayList<>();
            int[][] where = new int[length][2];
            for (int j = 0; j < length; j++) {
                digits[j] = j > 0 && r.nextInt(3) == 0 ? digits[j - 1] : r.nextInt(10);
                where[j][0] = f.size();
                int speed = 1 + r.nextInt(3);
                for (int k = 0; k < speed; k++) {
                    f.add(digits[j]);
                }
                where[j][1] = f.size();
                f.add(SILENCE);
            }
            StringBuilder text = new StringBuilder();
            for (int d : digits) {
                text.append((char) ('0' + d));
            }
            texts.add(text.toString());
            labels.add(VOCAB.encode(text.toString()));
            frames.add(f);
            digitFrames.add(where);
        }
        int t = frames.stream().mapToInt(List::size).max().orElse(1);
        INDArray features = Nd4j.zeros(DataType.FLOAT, size, CHANNELS, t);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, size, t);
        int[] lengths = new int[size];
        for (int i = 0; i < size; i++) {
            lengths[i] = frames.get(i).size();
            for (int k = 0; k < lengths[i]; k++) {
                for (int ch = 0; ch < CHANNELS; ch++) {
                    double v = (ch == frames.get(i).get(k) ? 1.0 : 0.0) + NOISE * r.nextGaussian();
                    features.putScalar(new int[]{i, ch, k}, v);
                }
                mask.putScalar(i, k, 1.0);
            }
        }
        CtcVocabulary.LabelBatch labelBatch = VOCAB.toLabels(texts, DataType.FLOAT);
        return new Batch(new DataSet(features, labelBatch.labels(), mask, labelBatch.mask()), labels, digitFrames,
                lengths);
    }

    @Test
    void trainedNetworkWrongTokensScoreLowerAndAlignedSpansCoverTheDigits() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).updater(new Adam(0.02))
                .list()
                .layer(new Bidirectional(new LSTM.Builder().nIn(CHANNELS).nOut(24).activation(Activation.TANH).build()))
                .layer(new CtcOutputLayer.Builder().nIn(48).nOut(VOCAB.size()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Random random = new Random(1);
        List<DataSet> train = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            train.add(minibatch(random, 32).data());
        }
        ListDataSetIterator<DataSet> iterator = new ListDataSetIterator<>(train, 1);
        for (int epoch = 0; epoch < 8; epoch++) {
            net.fit(iterator);
            iterator.reset();
        }

        Random heldOut = new Random(2);
        int right = 0;
        int wrong = 0;
        double rightSum = 0;
        double wrongSum = 0;
        long wins = 0;
        List<Double> rightScores = new ArrayList<>();
        List<Double> wrongScores = new ArrayList<>();
        int covered = 0;
        int digits = 0;
        for (int b = 0; b < 8; b++) {
            Batch batch = minibatch(heldOut, 32);
            INDArray probabilities = net.output(batch.data().getFeatures(), false,
                    batch.data().getFeaturesMaskArray(), null);   // [N, C, T]
            List<CtcHypothesis> decoded = new CtcGreedyDecoder().decode(probabilities,
                    batch.data().getFeaturesMaskArray());
            for (int i = 0; i < decoded.size(); i++) {
                CtcHypothesis h = decoded.get(i);
                boolean[] isRight = CtcConfidenceTest.rightTokens(batch.texts().get(i), h.labels());
                for (int k = 0; k < h.length(); k++) {
                    double score = h.spans().get(k).score();
                    (isRight[k] ? rightScores : wrongScores).add(score);
                }
            }
            // Forced alignment of the true texts: [N, T, C] log-probabilities.
            INDArray logProbs = Transforms.log(probabilities.permute(0, 2, 1).dup('c'), true);
            int n = batch.texts().size();
            int s = batch.texts().stream().mapToInt(x -> x.length).max().orElse(1);
            int[][] padded = new int[n][s];
            int[] targetLengths = new int[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(batch.texts().get(i), 0, padded[i], 0, batch.texts().get(i).length);
                targetLengths[i] = batch.texts().get(i).length;
            }
            List<CtcAlignment> alignments = CtcForcedAligner.align(logProbs, Nd4j.createFromArray(padded),
                    Nd4j.createFromArray(batch.lengths()), Nd4j.createFromArray(targetLengths),
                    CtcOptions.builder().blank(VOCAB.blankIndex()).layout(CtcLayout.NTC).build());
            for (int i = 0; i < n; i++) {
                List<TokenSpan> spans = alignments.get(i).spans();
                int[][] where = batch.digitFrames().get(i);
                for (int k = 0; k < where.length; k++) {
                    digits++;
                    // CTC emits a digit on one or a few of its frames (blanks on the rest): the span must overlap
                    // the frames [first, end) where the generator put the digit.
                    if (spans.get(k).startFrame() < where[k][1] && where[k][0] < spans.get(k).endFrame()) {
                        covered++;
                    }
                }
            }
        }
        for (double r : rightScores) {
            rightSum += r;
            for (double w : wrongScores) {
                wins += r > w ? 2 : r == w ? 1 : 0;
            }
        }
        for (double w : wrongScores) {
            wrongSum += w;
        }
        right = rightScores.size();
        wrong = wrongScores.size();
        double auroc = wins / (2.0 * right * wrong);
        double positionAccuracy = (double) covered / digits;
        String report = String.format("trained BiLSTM, greedy: right tokens %d mean confidence %.3f, wrong %d"
                        + " mean %.3f, AUROC %.3f; forced alignment: spans overlapping their digit's frames %.1f%% of %d",
                right, rightSum / right, wrong, wrongSum / wrong, auroc, 100 * positionAccuracy, digits);
        System.out.println(report);
        assertTrue(wrong >= 20 && right > 5 * wrong, report);   // a model that still errs, but not mostly
        assertTrue(rightSum / right > wrongSum / wrong + 0.1, report);
        assertTrue(auroc > 0.8, report);
        assertTrue(positionAccuracy > 0.97, report);
    }
}
