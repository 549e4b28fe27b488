package io.github.dl4jctc.layer.bench;

import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Soak run: trains a small LSTM + CtcOutputLayer network for many iterations (default 20,000) on minibatches
 * whose T, S and masks change from one to the next, with an inference pass (output + greedy decoding) and a
 * score every 25 iterations, and samples memory every {@code every} iterations after full GCs (see
 * {@link #sample}): JVM heap in use, the process's resident memory and the part of it outside the JVM's own
 * pools (where ND4J's buffers live), and the size of this thread's workspaces. Prints a table and each figure's
 * growth after warm-up (see {@link #report}).
 * <p>
 * Arguments: iterations, workspace mode ({@code ENABLED} or {@code NONE}), sampling interval, warm-up iterations,
 * and optionally {@code rnn}: the same network and data with DL4J's RnnOutputLayer on per-frame labels, as a
 * baseline for what DL4J/ND4J do by themselves.
 * Run after {@code mvn -pl layer -am test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * -Dmdep.includeScope=test}: {@code OMP_NUM_THREADS=1 java -cp layer/target/test-classes:layer/target/classes:$(cat
 * cp.txt) io.github.dl4jctc.layer.bench.CtcSoak 20000 ENABLED} (one OpenMP thread: on a busy two-core machine
 * OpenMP's spinning made each tiny step ~7x slower).
 */
public final class CtcSoak {
    private static final int FEATURES = 8, HIDDEN = 24, CLASSES = 8, BATCH = 8, DISTINCT_MINIBATCHES = 32;

    private CtcSoak() {
    }

    public static void main(String[] args) throws InterruptedException {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        WorkspaceMode mode = args.length > 1 ? WorkspaceMode.valueOf(args[1]) : WorkspaceMode.ENABLED;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
        // "rnn": DL4J's own RnnOutputLayer on per-frame labels instead, to tell DL4J/ND4J's memory from the layer's
        boolean baseline = args.length > 4 && args[4].equals("rnn");

        MultiLayerNetwork net = network(mode, baseline);
        List<DataSet> minibatches = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < DISTINCT_MINIBATCHES; i++) {
            DataSet batch = minibatch(random);
            minibatches.add(baseline ? perFrameLabels(batch) : batch);
        }
        CtcGreedyDecoder decoder = new CtcGreedyDecoder();

        System.out.printf(Locale.ROOT, "CtcSoak: %d iterations, %s, workspaces %s, OMP_NUM_THREADS=%s, max heap %d"
                        + " MB%n", iterations, baseline ? "RnnOutputLayer baseline" : "CtcOutputLayer", mode,
                System.getenv("OMP_NUM_THREADS"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| iteration | score | heap in use MB | RSS MB | RSS outside the JVM's pools MB |"
                + " workspaces MB | ND4J deallocation backlog | ms/iteration |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        List<double[]> samples = new ArrayList<>();   // see sample()
        long start = System.nanoTime();
        long decoded = 0;
        for (int it = 1; it <= iterations; it++) {
            DataSet batch = minibatches.get(it % minibatches.size());
            net.fit(batch);
            if (it % 25 == 0) {
                INDArray out = net.output(batch.getFeatures(), false, batch.getFeaturesMaskArray(), null);
                decoded += decoder.decode(out, batch.getFeaturesMaskArray()).size();
                net.score(batch);
            }
            if (it % every == 0 || it == 1) {
                double msPerIteration = (System.nanoTime() - start) / 1e6 / (it == 1 ? 1 : every);
                double[] s = sample(it);
                samples.add(s);
                System.out.printf(Locale.ROOT, "| %d | %.4f | %.1f | %.1f | %.1f | %.1f | %d | %.1f |%n", it,
                        net.score(), s[1], s[2], s[3], s[4], (long) s[5], msPerIteration);
                start = System.nanoTime();
            }
        }
        report(samples, warmUp, decoded);
    }

    private static MultiLayerNetwork network(WorkspaceMode mode, boolean baseline) {
        Layer output = baseline
                ? new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(CLASSES).build()
                : new CtcOutputLayer.Builder().nIn(HIDDEN).nOut(CLASSES).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Adam(5e-3)).trainingWorkspaceMode(mode).inferenceWorkspaceMode(mode)
                .list()
                .layer(new LSTM.Builder().nIn(FEATURES).nOut(HIDDEN).build())
                .layer(output)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * N = 8 examples of T in [16, 30] frames (ragged: features mask) with targets of 1 to 6 labels (ragged: labels
     * mask); the features hint at the labels, so the network learns and the loss moves.
     */
    private static DataSet minibatch(Random r) {
        int t = 16 + r.nextInt(15);
        int s = 1 + r.nextInt(6);
        INDArray x = Nd4j.zeros(DataType.FLOAT, BATCH, FEATURES, t);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, s);
        int[] inputLengths = new int[BATCH], targetLengths = new int[BATCH];
        for (int n = 0; n < BATCH; n++) {
            targetLengths[n] = 1 + r.nextInt(s);
            inputLengths[n] = Math.max(2 * targetLengths[n] + 1, t - r.nextInt(t / 3));
            for (int j = 0; j < targetLengths[n]; j++) labels.putScalar(n, j, 1 + r.nextInt(CLASSES - 1));
            for (int f = 0; f < inputLengths[n]; f++) {
                int label = (int) labels.getDouble(n, f * targetLengths[n] / inputLengths[n]);
                x.putScalar(n, label % FEATURES, f, 1.0);
                x.putScalar(n, r.nextInt(FEATURES), f, r.nextDouble());
            }
        }
        return new DataSet(x, labels, prefixMask(inputLengths, t), prefixMask(targetLengths, s));
    }

    /** The same minibatch with one-hot labels per frame [N, C, T] (each frame's segment label), masked by frame. */
    private static DataSet perFrameLabels(DataSet ctc) {
        INDArray fm = ctc.getFeaturesMaskArray();
        long n = fm.size(0), t = fm.size(1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, CLASSES, t);
        for (int i = 0; i < n; i++) {
            int frames = fm.getRow(i).sumNumber().intValue();
            int targets = ctc.getLabelsMaskArray().getRow(i).sumNumber().intValue();
            for (int f = 0; f < frames; f++) {
                labels.putScalar(i, (int) ctc.getLabels().getDouble(i, f * targets / frames), f, 1.0);
            }
        }
        return new DataSet(ctc.getFeatures(), labels, fm, fm);
    }

    private static INDArray prefixMask(int[] lengths, int width) {
        INDArray mask = Nd4j.zeros(DataType.FLOAT, lengths.length, width);
        for (int n = 0; n < lengths.length; n++) {
            for (int j = 0; j < lengths[n]; j++) mask.putScalar(n, j, 1.0);
        }
        return mask;
    }

    /**
     * iteration, heap in use, RSS, RSS outside the JVM's heap and non-heap pools (committed), workspaces (MB), and
     * ND4J's deallocation backlog when the sample was taken (buffers whose Java side is gone but whose native side
     * is not freed yet). Measured after full GCs once that backlog has drained: DL4J/ND4J create ~3,000 native
     * objects per iteration here (the LSTM's per-step views and op contexts; DL4J's own RnnOutputLayer gives the
     * same), and until ND4J's deallocator threads catch up their bookkeeping holds up to ~300 MB of heap, which
     * would otherwise swamp the figure. On the CPU backend ND4J's buffers are native allocations that neither
     * JavaCPP's {@code Pointer.totalBytes()} nor ND4J's AllocationsTracker count (both read 0 here), so the
     * process's resident memory less what the JVM itself has committed is the figure that shows them.
     */
    private static double[] sample(int iteration) throws InterruptedException {
        long backlog = deallocationBacklog();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 50; i++) {
            System.gc();
            Thread.sleep(200);
            long now = deallocationBacklog();
            if (now >= last - 1000) {
                break;   // no longer shrinking: drained
            }
            last = now;
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapUsed = memory.getHeapMemoryUsage().getUsed();
        long jvmCommitted = memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
        long rss = Pointer.physicalBytes();
        long workspaces = 0;
        for (MemoryWorkspace ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            workspaces += ws.getCurrentSize();
        }
        double mb = 1 << 20;
        return new double[]{iteration, heapUsed / mb, rss / mb, (rss - jvmCommitted) / mb, workspaces / mb, backlog};
    }

    /** Entries in ND4J's DeallocatorService map (private: read by reflection, -1 if that fails). */
    private static long deallocationBacklog() {
        try {
            Field field = DeallocatorService.class.getDeclaredField("referenceMap");
            field.setAccessible(true);
            return ((Map<?, ?>) field.get(Nd4j.getDeallocatorService())).size();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Growth of each figure after warm-up, robust to the noise of single samples: the median of the last three
     * samples against the median of the first three after warm-up, and the least-squares slope over all of them.
     */
    private static void report(List<double[]> samples, int warmUp, long decoded) {
        List<double[]> after = new ArrayList<>();
        for (double[] s : samples) if (s[0] >= warmUp) after.add(s);
        if (after.size() < 6) {
            System.out.println("too few samples after warm-up for a growth figure");
            return;
        }
        String[] names = {"", "heap in use", "RSS", "RSS - JVM pools", "workspaces"};
        double first = after.get(0)[0], last = after.get(after.size() - 1)[0];
        System.out.printf(Locale.ROOT, "%nGrowth after warm-up, iterations %d..%d (median of the first 3 samples ->"
                + " median of the last 3; least-squares slope):%n", (int) first, (int) last);
        for (int k = 1; k < names.length; k++) {
            double from = median(after.subList(0, 3), k), to = median(after.subList(after.size() - 3, after.size()), k);
            double slope = slope(after, k);
            System.out.printf(Locale.ROOT, "  %-16s %8.1f MB -> %8.1f MB: %+6.1f%%; slope %+.3f MB per 1000"
                            + " iterations (%+.1f%% of the start over the run)%n", names[k], from, to,
                    growth(from, to), slope * 1000, growth(from, from + slope * (last - first)));
        }
        System.out.println("  (" + decoded + " sequences decoded along the way)");
    }

    private static double median(List<double[]> samples, int k) {
        double[] v = samples.stream().mapToDouble(s -> s[k]).sorted().toArray();
        return v[v.length / 2];
    }

    private static double slope(List<double[]> samples, int k) {
        double mx = 0, my = 0;
        for (double[] s : samples) {
            mx += s[0];
            my += s[k];
        }
        mx /= samples.size();
        my /= samples.size();
        double sxy = 0, sxx = 0;
        for (double[] s : samples) {
            sxy += (s[0] - mx) * (s[k] - my);
            sxx += (s[0] - mx) * (s[0] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    private static double growth(double from, double to) {
        return from == 0 ? (to == 0 ? 0 : Double.POSITIVE_INFINITY) : 100 * (to - from) / from;
    }
}
