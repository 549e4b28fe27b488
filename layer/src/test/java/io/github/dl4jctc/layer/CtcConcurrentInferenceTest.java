package io.github.dl4jctc.layer;

import io.github.dl4jctc.layer.decode.CtcBeamSearchDecoder;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import io.github.dl4jctc.layer.decode.CtcHypothesis;
import io.github.dl4jctc.layer.eval.CtcEvaluation;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four threads, each with its own clone of a trained LSTM + CtcOutputLayer network, run output, greedy and beam
 * decoding and an evaluation on the same minibatches at the same time: every thread gets exactly (bit for bit) the
 * single-threaded results.
 */
class CtcConcurrentInferenceTest {
    private static final CtcVocabulary VOCAB = CtcVocabulary.ofCharacters("abcd");
    private static final int THREADS = 4, ROUNDS = 5;

    /** What one thread computes for one minibatch. */
    private record Results(double[] output, List<CtcHypothesis> greedy, List<CtcHypothesis> beam, String stats) {
    }

    private static Results infer(MultiLayerNetwork net, DataSet batch) {
        INDArray out = net.output(batch.getFeatures(), false, batch.getFeaturesMaskArray(), null);
        List<CtcHypothesis> greedy = new CtcGreedyDecoder().decode(out, batch.getFeaturesMaskArray());
        List<CtcHypothesis> beam = new CtcBeamSearchDecoder.Builder().beamWidth(8).build()
                .decode(out, batch.getFeaturesMaskArray());
        CtcEvaluation eval = new CtcEvaluation(VOCAB);
        eval.evalWithFeaturesMask(batch.getLabels(), out, batch.getLabelsMaskArray(), batch.getFeaturesMaskArray());
        return new Results(out.data().asDouble(), greedy, beam, eval.stats());
    }

    /** Noisy one-hot sequences spelling short words, with ragged lengths. */
    private static DataSet batch(int seed) {
        java.util.Random r = new java.util.Random(seed);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            StringBuilder w = new StringBuilder();
            for (int j = 0, len = 1 + r.nextInt(4); j < len; j++) w.append("abcd".charAt(r.nextInt(4)));
            words.add(w.toString());
        }
        int t = 14;
        INDArray x = Nd4j.zeros(DataType.FLOAT, words.size(), VOCAB.size(), t);
        int[] lengths = new int[words.size()];
        for (int n = 0; n < words.size(); n++) {
            int[] labels = VOCAB.encode(words.get(n));
            lengths[n] = Math.min(t, 3 * labels.length + 1 + r.nextInt(3));
            for (int f = 0; f < lengths[n]; f++) {
                int segment = f * labels.length / lengths[n];
                int cls = f % 3 == 2 ? VOCAB.blankIndex() : labels[segment];
                x.putScalar(n, cls, f, 1.0);
                x.putScalar(n, r.nextInt(VOCAB.size()), f, 0.3);
            }
        }
        CtcVocabulary.LabelBatch labels = VOCAB.toLabels(words, DataType.FLOAT);
        return new DataSet(x, labels.labels(), GoldenCtcCase.prefixMask(lengths, t, DataType.FLOAT), labels.mask());
    }

    private static MultiLayerNetwork trained() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(21)
                .updater(new Adam(0.1)).list()
                .layer(new LSTM.Builder().nIn(VOCAB.size()).nOut(16).build())
                .layer(new CtcOutputLayer.Builder().nIn(16).nOut(VOCAB.size()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        List<DataSet> batches = List.of(batch(0), batch(1), batch(2), batch(3));
        for (int i = 0; i < 80; i++) {
            net.fit(batches.get(i % batches.size()));
        }
        return net;
    }

    @Test
    void fourThreadsOnClonesGetTheSingleThreadedResults() throws Exception {
        MultiLayerNetwork net = trained();
        List<DataSet> batches = List.of(batch(100), batch(101), batch(102));
        List<Results> expected = new ArrayList<>();
        for (DataSet b : batches) expected.add(infer(net, b));
        assertTrue(expected.get(0).greedy().stream().anyMatch(h -> h.length() > 0), "the network emits labels");

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<Results>>> futures = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                MultiLayerNetwork clone = net.clone();
                int first = thread;
                futures.add(pool.submit(() -> {
                    List<Results> out = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int i = 0; i < batches.size(); i++) {
                            out.add(infer(clone, batches.get((first + i) % batches.size())));
                        }
                    }
                    return out;
                }));
            }
            for (int thread = 0; thread < THREADS; thread++) {
                List<Results> results = futures.get(thread).get();
                assertEquals(ROUNDS * batches.size(), results.size());
                for (int k = 0; k < results.size(); k++) {
                    Results want = expected.get((thread + k) % batches.size());
                    Results got = results.get(k);
                    String what = "thread " + thread + " result " + k;
                    assertArrayEquals(want.output(), got.output(), what + " output");
                    assertEquals(want.greedy(), got.greedy(), what + " greedy");
                    assertEquals(want.beam(), got.beam(), what + " beam");
                    assertEquals(want.stats(), got.stats(), what + " evaluation");
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}
