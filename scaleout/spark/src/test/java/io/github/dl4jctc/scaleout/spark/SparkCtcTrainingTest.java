package io.github.dl4jctc.scaleout.spark;

import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.layer.CtcOutputLayerImpl;
import io.github.dl4jctc.layer.eval.CtcEvaluation;
import io.github.dl4jctc.ops.CtcReduction;
import io.github.dl4jctc.scaleout.smoke.DigitSequenceNetwork;
import io.github.dl4jctc.scaleout.smoke.DigitSequences;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.util.SparkUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dl4j-spark 1.0.0-M2 parameter averaging of LSTM -> CtcOutputLayer networks (DL4J 1.0.0-M2.1) in Spark local mode
 * ({@code local[2]}: two executor threads in this JVM; tasks and their listeners are still serialised).
 */
class SparkCtcTrainingTest {

    private static final DigitSequences TASK = new DigitSequences(4, 0.2);
    private static final int BATCH = 16;

    private static JavaSparkContext sc;

    @TempDir
    static Path hadoopTmp;

    @BeforeAll
    static void startSpark() {
        sc = new JavaSparkContext(SparkTestContexts.local2("SparkCtcTrainingTest"));
        // dl4j-spark exports RDD<DataSet> minibatches under hadoop.tmp.dir before training.
        sc.hadoopConfiguration().set("hadoop.tmp.dir", hadoopTmp.toString());
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void parameterAveragingTrainsACtcNetworkFromFilesOnTheExecutors(@TempDir Path dir) throws IOException {
        MultiLayerConfiguration built = DigitSequenceNetwork.configuration(32, 0.05, 7);
        MultiLayerNetwork driverNet = new MultiLayerNetwork(built.clone());
        driverNet.init();
        int files = MinibatchFiles.write(TASK.batches(24, BATCH, 1).iterator(), dir.resolve("train"));
        JavaRDD<String> paths = SparkUtils.listPaths(sc, dir.resolve("train").toUri().toString());
        JavaRDD<DataSet> heldOut = sc.parallelize(TASK.batches(4, BATCH, 2), 2);

        SparkDl4jMultiLayer sparkNet = new SparkCtcTraining.Builder(BATCH).averagingFrequency(2)
                .workerPrefetchBatches(2).build().multiLayer(sc, driverNet);
        sparkNet.setListeners(new ExecutorProbe());
        ExecutorProbe.SEEN.clear();
        double before = sparkNet.calculateScore(heldOut, true);
        int epochs = 5;
        long start = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            sparkNet.fitPaths(paths);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double after = sparkNet.calculateScore(heldOut, true);
        CtcEvaluation evaluation = sparkNet.doEvaluation(heldOut, BATCH,
                new CtcEvaluation(DigitSequences.VOCABULARY, RNNFormat.NCW))[0];
        Set<String> threads = ExecutorProbe.SEEN.stream().map(s -> s.thread).collect(Collectors.toSet());
        System.out.printf("Spark local[2], %d files, %d epochs in %.1f s: held-out loss %.3f -> %.3f (computed on the"
                        + " executors), CER %.3f, sequence accuracy %.3f; %d iterations on %d executor task threads%n", files,
                epochs, seconds, before, after, evaluation.characterErrorRate(), evaluation.sequenceAccuracy(),
                ExecutorProbe.SEEN.size(), threads.size());

        assertTrue(after < 0.1 * before, "held-out CTC loss " + before + " -> " + after);
        assertTrue(evaluation.characterErrorRate() < 0.1, evaluation.stats());

        // The configuration on the driver is still the one built, layer by layer (the counters aside).
        MultiLayerConfiguration trained = sparkNet.getNetwork().getLayerWiseConfigurations();
        assertEquals(built.getConfs().size(), trained.getConfs().size());
        for (int i = 0; i < built.getConfs().size(); i++) {
            assertEquals(built.getConf(i).getLayer(), trained.getConf(i).getLayer(), "layer " + i);
        }
        CtcOutputLayer ctc = (CtcOutputLayer) trained.getConf(1).getLayer();
        assertEquals(List.of(32L, 11L, 0, CtcReduction.MEAN, false), List.of(ctc.getNIn(), ctc.getNOut(),
                ctc.getBlankIndex(), ctc.getReduction(), ctc.isZeroInfinity()));

        // Every minibatch of every epoch was trained by an executor task, on a network of the executor's own whose
        // output layer is CtcOutputLayerImpl configured as built.
        assertEquals(epochs * files, ExecutorProbe.SEEN.size());
        assertTrue(threads.stream().allMatch(t -> t.startsWith("Executor task launch worker")), threads.toString());
        int driverNetworkId = System.identityHashCode(sparkNet.getNetwork());
        for (Seen seen : ExecutorProbe.SEEN) {
            assertNotEquals(driverNetworkId, seen.networkId, "trained on the driver's network object");
            assertEquals(CtcOutputLayerImpl.class.getName(), seen.outputLayerClass);
            assertEquals(built.getConf(1).getLayer(), seen.outputLayerConf);
        }
    }

    @Test
    void scoringOnSparkFreesTheParametersOfAnUnprotectedNetworkButNotOfOneSetUpHere() throws InterruptedException {
        JavaRDD<DataSet> data = sc.parallelize(TASK.batches(2, BATCH, 5), 2);
        SparkCtcTraining training = new SparkCtcTraining.Builder(BATCH).build();

        // dl4j-spark as it comes: calculateScore broadcasts the live parameter array, which Spark closes on cleanup.
        MultiLayerNetwork bare = DigitSequenceNetwork.create(8, 0.01, 1);
        new SparkDl4jMultiLayer(sc, bare, training.trainingMaster()).calculateScore(data, true);
        assertTrue(closedAfterGc(bare.params(), 20_000), "expected Spark to free the parameters of the bare network;"
                + " if dl4j-spark or Spark no longer does, SparkCtcTraining.keepParametersOpen can go");

        MultiLayerNetwork kept = DigitSequenceNetwork.create(8, 0.01, 1);
        SparkDl4jMultiLayer sparkNet = training.multiLayer(sc, kept);
        double score = sparkNet.calculateScore(data, true);
        assertFalse(closedAfterGc(kept.params(), 3_000));
        sparkNet.fit(data);
        assertTrue(Double.isFinite(score) && Double.isFinite(sparkNet.getScore()));
    }

    /** Collects garbage (so that Spark's ContextCleaner drops unreachable broadcasts) until the array is closed. */
    private static boolean closedAfterGc(INDArray array, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (array.wasClosed()) {
                return true;
            }
            System.gc();
            Thread.sleep(200);
        }
        return array.wasClosed();
    }

    @Test
    void aComputationGraphTrainsFromAnRddOfSmallerDataSetsThatWorkersMerge() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(0.05))
                .graphBuilder()
                .addInputs("frames")
                .setInputTypes(InputType.recurrent(DigitSequences.FRAME_SIZE, RNNFormat.NCW))
                .addLayer("lstm", new LSTM.Builder().nOut(32).build(), "frames")
                .addLayer("ctc", new CtcOutputLayer.Builder().nOut(DigitSequences.VOCABULARY.size()).build(), "lstm")
                .setOutputs("ctc")
                .build());
        graph.init();
        // DataSets of 4 sequences of different lengths: the workers merge 4 of them into each 16-example minibatch,
        // padding features, [N, 1, S] labels and both masks.
        JavaRDD<DataSet> train = sc.parallelize(TASK.batches(96, 4, 3), 2);
        List<DataSet> heldOutList = TASK.batches(4, BATCH, 4);
        double before = score(graph, heldOutList);

        SparkComputationGraph sparkGraph = new SparkCtcTraining.Builder(BATCH).averagingFrequency(3).build()
                .graph(sc, graph);
        for (int epoch = 0; epoch < 3; epoch++) {
            sparkGraph.fit(train);
        }

        double after = score(sparkGraph.getNetwork(), heldOutList);
        assertTrue(after < 0.5 * before, "held-out CTC loss " + before + " -> " + after);
        assertEquals(graph.getConfiguration().getVertices(), sparkGraph.getNetwork().getConfiguration().getVertices());
    }

    @Test
    void aConfigurationTheExecutorsCannotRebuildIsRefusedOnTheDriver() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nIn(DigitSequences.FRAME_SIZE).nOut(4).build())
                .layer(new CtcOutputLayer.Builder().nIn(4).nOut(11).build())
                .inputPreProcessor(1, new NoDefaultConstructorPreProcessor(4))
                .build());
        net.init();
        SparkCtcTraining training = new SparkCtcTraining.Builder(BATCH).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> training.multiLayer(sc, net));
        assertTrue(e.getMessage().startsWith("network: its configuration JSON cannot be read back"), e.getMessage());
    }

    @Test
    void theCtcConfigurationComesBackFromKryoAsBuilt() {
        assertEquals(SparkCtcTraining.KRYO_SERIALIZER, sc.getConf().get("spark.serializer"));
        MultiLayerNetwork net = DigitSequenceNetwork.create(8, 0.01, 1);
        SparkCtcTraining.requireSurvivesTheTrip(sc, net); // throws if not
        assertThrows(IllegalArgumentException.class, () -> SparkCtcTraining.requireSurvivesTheTrip(null, net));
    }

    @Test
    void builderArgumentsAreCheckedByName() {
        assertMessageStartsWith("batchSizePerWorker: got 0", () -> new SparkCtcTraining.Builder(0));
        assertMessageStartsWith("averagingFrequency: got 0", () -> new SparkCtcTraining.Builder(1).averagingFrequency(0));
        assertMessageStartsWith("workerPrefetchBatches: got -1",
                () -> new SparkCtcTraining.Builder(1).workerPrefetchBatches(-1));
        assertMessageStartsWith("numWorkers: got 0", () -> new SparkCtcTraining.Builder(1).numWorkers(0));
    }

    private static void assertMessageStartsWith(String prefix, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    private static double score(ComputationGraph graph, List<DataSet> batches) {
        return batches.stream().mapToDouble(graph::score).average().orElseThrow();
    }

    /** What a training iteration on an executor saw. */
    private static final class Seen {
        final String thread;
        final int networkId;
        final String outputLayerClass;
        final Object outputLayerConf;

        Seen(String thread, int networkId, String outputLayerClass, Object outputLayerConf) {
            this.thread = thread;
            this.networkId = networkId;
            this.outputLayerClass = outputLayerClass;
            this.outputLayerConf = outputLayerConf;
        }
    }

    /**
     * A listener that travels to the executors inside each (serialised) training task and records, in this JVM
     * (local mode), which thread trained which network.
     */
    private static final class ExecutorProbe extends BaseTrainingListener implements Serializable {
        static final Queue<Seen> SEEN = new ConcurrentLinkedQueue<>();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            SEEN.add(new Seen(Thread.currentThread().getName(), System.identityHashCode(net),
                    net.getOutputLayer().getClass().getName(),
                    net.getLayerWiseConfigurations().getConf(1).getLayer()));
        }
    }
}
