package io.github.dl4jctc.scaleout.spark;

import io.github.dl4jctc.layer.CtcOutputLayerImpl;
import io.github.dl4jctc.scaleout.smoke.DigitSequenceNetwork;
import io.github.dl4jctc.scaleout.smoke.DigitSequences;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.util.SparkUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.shade.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same training on Spark's {@code local-cluster[2,1,1024]}: a standalone master and two workers in this JVM,
 * each running its executor as a separate JVM, so the configuration really travels (Kryo broadcast) and the
 * executors load CtcOutputLayer from their own class path. Needs SPARK_HOME (with a {@code jars} directory) and
 * SPARK_SCALA_VERSION in the environment, which the module's Surefire configuration sets.
 */
class SparkLocalClusterTest {

    @Test
    void executorsInOtherJvmsTrainTheCtcNetworkAsConfigured(@TempDir Path dir) throws IOException {
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
        SparkConf conf = SparkCtcTraining.withNd4jKryo(new SparkConf()
                .setMaster("local-cluster[2,1,1024]").setAppName("SparkLocalClusterTest")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                // The executors get this module's test class path (on a real cluster: the application jar).
                .set("spark.executor.extraClassPath", System.getProperty("surefire.test.class.path")));
        MultiLayerConfiguration built = DigitSequenceNetwork.configuration(32, 0.05, 7);
        MultiLayerNetwork network = new MultiLayerNetwork(built.clone());
        network.init();
        DigitSequences task = new DigitSequences(4, 0.2);
        int files = MinibatchFiles.write(task.batches(24, 16, 1).iterator(), dir.resolve("train"));

        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            long driverPid = ProcessHandle.current().pid();
            Set<Long> executorPids = Set.copyOf(sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
                    .map(i -> ProcessHandle.current().pid()).collect());
            JavaRDD<String> paths = SparkUtils.listPaths(sc, dir.resolve("train").toUri().toString());
            JavaRDD<DataSet> heldOut = sc.parallelize(task.batches(4, 16, 2), 2);
            SparkDl4jMultiLayer sparkNet = new SparkCtcTraining.Builder(16).averagingFrequency(2).build()
                    .multiLayer(sc, network);
            CollectionAccumulator<String> seen = sc.sc().collectionAccumulator("iterations");
            sparkNet.setListeners(new ExecutorReport(seen));

            double before = sparkNet.calculateScore(heldOut, true);
            int epochs = 5;
            for (int epoch = 0; epoch < epochs; epoch++) {
                sparkNet.fitPaths(paths);
            }
            double after = sparkNet.calculateScore(heldOut, true);
            List<String> iterations = seen.value();
            Set<String> distinct = Set.copyOf(iterations);
            System.out.printf("local-cluster: driver pid %d, executor pids %s; held-out loss %.3f -> %.3f; %d"
                    + " iterations reported as %s%n", driverPid, executorPids, before, after, iterations.size(),
                    distinct.stream().map(s -> s.substring(0, s.indexOf(' '))).collect(Collectors.toSet()));

            assertEquals(2, executorPids.size(), "two executor JVMs: " + executorPids);
            assertFalse(executorPids.contains(driverPid));
            assertTrue(after < 0.1 * before, "held-out CTC loss " + before + " -> " + after);
            assertEquals(epochs * files, iterations.size());
            String expected = ExecutorReport.describe(built.getConf(1));
            for (String s : distinct) {
                long pid = Long.parseLong(s.substring(0, s.indexOf(' ')));
                assertTrue(executorPids.contains(pid), "iteration in an executor JVM: " + s);
                assertEquals(expected, s.substring(s.indexOf(' ') + 1));
            }
            assertEquals(built.getConf(1).getLayer(),
                    sparkNet.getNetwork().getLayerWiseConfigurations().getConf(1).getLayer());
        }
    }

    /** Reports "pid outputLayerClass outputLayerConfigJson" from each training iteration back to the driver. */
    private static final class ExecutorReport extends BaseTrainingListener implements Serializable {
        private final CollectionAccumulator<String> seen;

        ExecutorReport(CollectionAccumulator<String> seen) {
            this.seen = seen;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            seen.add(ProcessHandle.current().pid() + " "
                    + describe(net.getOutputLayer() instanceof CtcOutputLayerImpl, net.getLayerWiseConfigurations()
                    .getConf(1)));
        }

        static String describe(NeuralNetConfiguration outputLayerConf) {
            return describe(true, outputLayerConf);
        }

        private static String describe(boolean ctcRuntime, NeuralNetConfiguration conf) {
            try {
                return (ctcRuntime ? "CtcOutputLayerImpl " : "other ")
                        + NeuralNetConfiguration.mapper().writeValueAsString(conf.getLayer());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
