package io.github.dl4jctc.scaleout.spark;

import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.scaleout.smoke.DigitSequenceNetwork;
import io.github.dl4jctc.scaleout.smoke.DigitSequences;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spark-submit entry point, run in this JVM with the master given as spark-submit gives it (a property). */
class SparkCtcTrainerTest {

    @TempDir
    Path dir;

    @Test
    void trainsASavedNetworkOnMinibatchFilesAndWritesTheResult() throws IOException {
        MultiLayerNetwork initial = DigitSequenceNetwork.create(32, 0.05, 7);
        File model = dir.resolve("initial.zip").toFile();
        ModelSerializer.writeModel(initial, model, true);
        DigitSequences task = new DigitSequences(4, 0.2);
        MinibatchFiles.write(task.batches(24, 16, 1).iterator(), dir.resolve("train"));
        Path output = dir.resolve("trained.zip");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = runWithSparkProperties(Map.of("spark.master", "local[2]", "spark.ui.enabled", "false",
                "spark.driver.host", "127.0.0.1"), log,
                "--model", model.toURI().toString(),
                "--data", dir.resolve("train").toUri().toString(),
                "--output", output.toUri().toString(),
                "--epochs", "4", "--batch-size-per-worker", "16", "--averaging-frequency", "2");
        System.out.print(log.toString(StandardCharsets.UTF_8));

        assertEquals(0, exit, log.toString(StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("24 minibatch files"));
        MultiLayerNetwork trained = ModelSerializer.restoreMultiLayerNetwork(output.toFile(), true);
        List<DataSet> heldOut = task.batches(4, 16, 2);
        double before = heldOut.stream().mapToDouble(initial::score).average().orElseThrow();
        double after = heldOut.stream().mapToDouble(trained::score).average().orElseThrow();
        assertTrue(after < 0.2 * before, "held-out CTC loss " + before + " -> " + after);
        assertEquals(initial.getLayerWiseConfigurations().getConf(1).getLayer(),
                trained.getLayerWiseConfigurations().getConf(1).getLayer());
    }

    @Test
    void withoutModelAndDataItStopsWithAUsageError() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = runWithSparkProperties(Map.of(), log, "--model", "file:///nowhere.zip");
        assertEquals(2, exit); // picocli's exit code for a usage error, before any Spark context is made
    }

    @Test
    void theModelKindIsReadFromTheConfiguration() throws IOException {
        MultiLayerNetwork mln = DigitSequenceNetwork.create(4, 0.01, 1);
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(DigitSequences.FRAME_SIZE, RNNFormat.NCW))
                .addLayer("lstm", new LSTM.Builder().nOut(4).build(), "in")
                .addLayer("ctc", new CtcOutputLayer.Builder().nOut(11).build(), "lstm")
                .setOutputs("ctc").build());
        graph.init();

        assertEquals(ModelKind.MULTI_LAYER_NETWORK, ModelKind.of(zip(mln)));
        assertEquals(ModelKind.COMPUTATION_GRAPH, ModelKind.of(zip(graph)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelKind.of("not a zip".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("model: not a ModelSerializer zip"), e.getMessage());
    }

    private byte[] zip(Model network) throws IOException {
        File file = Files.createTempFile(dir, "model", ".zip").toFile();
        ModelSerializer.writeModel(network, file, false);
        return Files.readAllBytes(file.toPath());
    }

    /** Runs the command with the given "spark.*" system properties (what spark-submit sets), then removes them. */
    private static int runWithSparkProperties(Map<String, String> properties, ByteArrayOutputStream log,
                                              String... args) {
        properties.forEach(System::setProperty);
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            CommandLine commandLine = new CommandLine(new SparkCtcTrainer(out));
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(out, true));
            return commandLine.execute(args);
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }
}
