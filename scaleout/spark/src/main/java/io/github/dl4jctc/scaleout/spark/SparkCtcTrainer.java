package io.github.dl4jctc.scaleout.spark;

import io.github.dl4jctc.layer.eval.CtcEvaluation;
import io.github.dl4jctc.scaleout.smoke.DigitSequenceNetwork;
import io.github.dl4jctc.scaleout.smoke.DigitSequences;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.util.SparkUtils;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code spark-submit} entry point: trains a saved network on minibatch files with dl4j-spark parameter
 * averaging, or runs a self-contained smoke test of the cluster. See {@code scaleout/README.md}.
 * <p>
 * Paths are Hadoop paths ({@code hdfs://...}, {@code s3a://...}, {@code file:///...} on a shared mount): the driver
 * reads the model and writes the result, the executors read the minibatch files.
 */
@Command(name = "spark-ctc-train", mixinStandardHelpOptions = true,
        description = "Trains a CtcOutputLayer network (any DL4J MultiLayerNetwork or ComputationGraph) on Spark.")
public final class SparkCtcTrainer implements Callable<Integer> {

    @Option(names = "--model", description = "initial network, a ModelSerializer zip (e.g. the OCR example's)")
    private String model;

    @Option(names = "--data", description = "directory of minibatch files (MinibatchFiles), read by the executors")
    private String data;

    @Option(names = "--output", description = "where to write the trained network (ModelSerializer zip)")
    private String output;

    @Option(names = "--epochs", defaultValue = "10", description = "passes over the data (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--batch-size-per-worker", defaultValue = "32",
            description = "examples per minibatch file and per worker minibatch (default: ${DEFAULT-VALUE})")
    private int batchSizePerWorker;

    @Option(names = "--averaging-frequency", defaultValue = "5",
            description = "minibatches per worker between averagings (default: ${DEFAULT-VALUE})")
    private int averagingFrequency;

    @Option(names = "--prefetch", defaultValue = "2",
            description = "minibatches each worker loads ahead (default: ${DEFAULT-VALUE})")
    private int prefetch;

    @Option(names = "--smoke-test", description = "instead of --model/--data: train a small LSTM-CTC network on a"
            + " synthetic digit task, check that the loss falls, exit 1 if not")
    private boolean smokeTest;

    @Spec
    private CommandSpec spec;

    private final PrintStream out;

    SparkCtcTrainer(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new SparkCtcTrainer(System.out)).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws IOException {
        if (!smokeTest && (model == null || data == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--model and --data are required (or --smoke-test)");
        }
        if (epochs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--epochs: got " + epochs
                    + ", expected at least 1");
        }
        // spark-submit passes --master and the rest as system properties, which SparkConf reads.
        SparkConf conf = SparkCtcTraining.withNd4jKryo(new SparkConf().setAppName("dl4j-ctc training"));
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            return smokeTest ? smokeTest(sc) : train(sc);
        }
    }

    private int train(JavaSparkContext sc) throws IOException {
        SparkCtcTraining training = training(sc, RDDTrainingApproach.Export); // fitPaths does not export
        Model network = readModel(sc, model);
        JavaRDD<String> paths = SparkUtils.listPaths(sc, data);
        out.println("dl4j-ctc: " + paths.count() + " minibatch files in " + data);
        if (network instanceof MultiLayerNetwork) {
            SparkDl4jMultiLayer sparkNet = training.multiLayer(sc, (MultiLayerNetwork) network);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                sparkNet.fitPaths(paths);
                report(epoch, sparkNet.getScore(), start);
            }
            network = sparkNet.getNetwork();
        } else {
            SparkComputationGraph sparkNet = training.graph(sc, (ComputationGraph) network);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                sparkNet.fitPaths(paths);
                report(epoch, sparkNet.getScore(), start);
            }
            network = sparkNet.getNetwork();
        }
        if (output != null) {
            writeModel(sc, network, output);
            out.println("dl4j-ctc: wrote " + output);
        }
        return 0;
    }

    private int smokeTest(JavaSparkContext sc) {
        // The data is generated on the driver and small: Direct needs no shared file system for an export.
        SparkCtcTraining training = training(sc, RDDTrainingApproach.Direct);
        DigitSequences task = new DigitSequences(4, 0.2);
        List<DataSet> train = task.batches(8 * sc.defaultParallelism(), batchSizePerWorker, 1);
        JavaRDD<DataSet> trainRdd = sc.parallelize(train, sc.defaultParallelism());
        JavaRDD<DataSet> heldOut = sc.parallelize(task.batches(4, batchSizePerWorker, 2), sc.defaultParallelism());
        SparkDl4jMultiLayer sparkNet = training.multiLayer(sc, DigitSequenceNetwork.create(32, 0.05, 7));
        double before = sparkNet.calculateScore(heldOut, true);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            sparkNet.fit(trainRdd);
            report(epoch, sparkNet.getScore(), start);
        }
        double after = sparkNet.calculateScore(heldOut, true);
        CtcEvaluation evaluation = sparkNet.doEvaluation(heldOut, batchSizePerWorker,
                new CtcEvaluation(DigitSequences.VOCABULARY))[0];
        boolean passed = after < 0.5 * before;
        out.printf("dl4j-ctc smoke test %s: held-out CTC loss %.3f -> %.3f (computed on the executors), character"
                + " error rate %.3f%n", passed ? "passed" : "FAILED", before, after, evaluation.characterErrorRate());
        return passed ? 0 : 1;
    }

    private SparkCtcTraining training(JavaSparkContext sc, RDDTrainingApproach approach) {
        SparkCtcTraining training = new SparkCtcTraining.Builder(batchSizePerWorker)
                .averagingFrequency(averagingFrequency).workerPrefetchBatches(prefetch)
                .rddTrainingApproach(approach).build();
        out.println("dl4j-ctc: " + training + " on " + sc.master() + ", default parallelism "
                + sc.defaultParallelism());
        return training;
    }

    private void report(int epoch, double score, long startNanos) {
        out.printf("dl4j-ctc: epoch %d/%d: score %.4f (%.1f s)%n", epoch, epochs, score,
                (System.nanoTime() - startNanos) / 1e9);
    }

    /** Reads a ModelSerializer zip from a Hadoop path; a MultiLayerNetwork or a ComputationGraph. */
    static Model readModel(JavaSparkContext sc, String path) throws IOException {
        byte[] zip;
        FileSystem fs = FileSystem.get(URI.create(path), sc.hadoopConfiguration());
        try (InputStream in = fs.open(new Path(path))) {
            zip = in.readAllBytes();
        }
        if (ModelKind.of(zip) == ModelKind.COMPUTATION_GRAPH) {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), true);
        }
        return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), true);
    }

    static void writeModel(JavaSparkContext sc, Model network, String path) throws IOException {
        FileSystem fs = FileSystem.get(URI.create(path), sc.hadoopConfiguration());
        try (FSDataOutputStream stream = fs.create(new Path(path), true)) {
            ModelSerializer.writeModel(network, stream, true);
        }
    }
}
