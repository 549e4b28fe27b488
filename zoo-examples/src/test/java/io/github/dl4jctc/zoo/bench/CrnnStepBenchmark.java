package io.github.dl4jctc.zoo.bench;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.zoo.ocr.CrnnModel;
import io.github.dl4jctc.zoo.ocr.FontPool;
import io.github.dl4jctc.zoo.ocr.LineAugmentation;
import io.github.dl4jctc.zoo.ocr.OcrBatches;
import io.github.dl4jctc.zoo.ocr.OcrCharacters;
import io.github.dl4jctc.zoo.ocr.OcrSample;
import io.github.dl4jctc.zoo.ocr.OcrSampleGenerator;
import io.github.dl4jctc.zoo.ocr.OcrTrainer;
import io.github.dl4jctc.zoo.ocr.RandomText;
import io.github.dl4jctc.zoo.ocr.TextLineRenderer;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One training step ({@code fit} on one minibatch) of the OCR network ({@link CrnnModel}, standard size, height
 * {@value OcrTrainer#HEIGHT}) with each recurrent path of {@link CrnnModel.Recurrent}: DL4J's
 * {@code Bidirectional(LSTM)}, {@code MaskedBidirectional(LSTM)} and {@code FusedBidirectionalLstm} (as {@link CrnnModel} builds it, and with
 * {@code opSequenceLengths(true)}).
 *
 * <p>The minibatch: 32 lines drawn as the training lines are ({@link RandomText#defaults()}, augmented), the middle
 * one of eight minibatches of similar widths ({@link OcrBatches#byWidth}), so its frame counts are as ragged as in
 * training; each path runs it with its features mask ("ragged") and without ("no mask": every sequence as long as
 * the widest, as with equal widths).
 *
 * <p>Modes (first argument):
 * <ul>
 *   <li>{@code time [rounds]}: best time per step of each path and condition over {@code rounds} rounds (default 6)
 *   in which they take turns, after warm-up rounds for at least 5 s; ratios against MaskedBidirectional's best.</li>
 *   <li>{@code memory PATH [steps]}: {@code steps} (default 10) ragged steps of one path
 *   ({@code MASKED_BIDIRECTIONAL}, {@code FUSED} or {@code DL4J_BIDIRECTIONAL}) after a garbage collection, with
 *   the peak heap (sum of the heap pools' peak usage), the size of the thread's ND4J workspaces afterwards (where
 *   DL4J keeps a step's activations and working memory), and the peaks, sampled every 2 ms, of the process's
 *   physical memory ({@link Pointer#physicalBytes()}, heap included) and of the bytes JavaCPP tracks
 *   ({@link Pointer#totalBytes()}: ND4J's native buffers are not among them); one path per JVM, so that one path's
 *   workspaces do not count for another.</li>
 * </ul>
 * Run (zoo-examples uses the oneDNN build; one OpenMP thread, as the examples' training runs):
 * {@code mvn -q -pl zoo-examples -am test-compile} then
 * {@code OMP_NUM_THREADS=1 mvn -q -pl zoo-examples exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.dl4jctc.zoo.bench.CrnnStepBenchmark -Dexec.args="time 6"}.
 */
public final class CrnnStepBenchmark {
    private static final int BATCH = 32;
    private static final int GROUPS = 8;
    private static final long SEED = 7;
    private static final double WARM_UP_SECONDS = 5.0;

    private CrnnStepBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        String mode = args.length > 0 ? args[0] : "time";
        DataSet ragged = minibatch();
        DataSet unmasked = ragged.copy();
        unmasked.setFeaturesMaskArray(null);
        int[] frames = frameCounts(ragged);
        System.out.println("minibatch: " + BATCH + " lines, features " + Arrays.toString(ragged.getFeatures().shape())
                + ", frames per line " + frames[0] + ".." + frames[1] + " of " + frames[2]
                + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));
        if (mode.equals("memory")) {
            CrnnModel.Recurrent path = CrnnModel.Recurrent.valueOf(args[1]);
            memory(path, ragged, args.length > 2 ? Integer.parseInt(args[2]) : 10);
        } else {
            time(ragged, unmasked, args.length > 1 ? Integer.parseInt(args[1]) : 6);
        }
    }

    private static DataSet minibatch() {
        CtcVocabulary vocabulary = CtcVocabulary.ofCharacters(OcrCharacters.ALL);
        TextLineRenderer renderer = new TextLineRenderer(OcrTrainer.HEIGHT, CrnnModel.WIDTH_DOWNSAMPLING);
        OcrSampleGenerator generator = new OcrSampleGenerator(renderer, FontPool.installed(), RandomText.defaults(),
                LineAugmentation.defaults(), SEED);
        List<OcrSample> samples = generator.samples(0, BATCH * GROUPS);
        List<List<OcrSample>> batches = OcrBatches.byWidth(samples, BATCH);
        return OcrBatches.toDataSet(batches.get(GROUPS / 2), vocabulary);
    }

    /** Shortest and longest line in frames (the features mask is at image resolution), and the image width. */
    private static int[] frameCounts(DataSet ds) {
        long w = ds.getFeatures().size(3);
        double[] widths = ds.getFeaturesMaskArray().reshape(ds.getFeaturesMaskArray().size(0), w).sum(1)
                .toDoubleVector();
        int min = (int) Arrays.stream(widths).min().orElse(0) / CrnnModel.WIDTH_DOWNSAMPLING;
        int max = (int) Arrays.stream(widths).max().orElse(0) / CrnnModel.WIDTH_DOWNSAMPLING;
        return new int[]{min, max, (int) w / CrnnModel.WIDTH_DOWNSAMPLING};
    }

    private static MultiLayerNetwork network(CrnnModel.Recurrent path) {
        CtcVocabulary vocabulary = CtcVocabulary.ofCharacters(OcrCharacters.ALL);
        ISchedule lr = new MapSchedule(ScheduleType.ITERATION, java.util.Map.of(0, 1e-3));
        return CrnnModel.create(OcrTrainer.HEIGHT, vocabulary.size(), CrnnModel.Size.standard(), lr, SEED, path);
    }

    /**
     * The fused layer with ragged lengths as the op's seqLen input ({@code opSequenceLengths(true)}), which
     * {@link CrnnModel} does not offer: its configuration with that one flag changed.
     */
    private static MultiLayerNetwork fusedWithOpSequenceLengths() {
        CtcVocabulary vocabulary = CtcVocabulary.ofCharacters(OcrCharacters.ALL);
        ISchedule lr = new MapSchedule(ScheduleType.ITERATION, java.util.Map.of(0, 1e-3));
        String json = CrnnModel.configuration(OcrTrainer.HEIGHT, vocabulary.size(), CrnnModel.Size.standard(), lr,
                SEED, CrnnModel.Recurrent.FUSED).toJson();
        String changed = json.replaceAll("\"opSequenceLengths\"\\s*:\\s*false", "\"opSequenceLengths\" : true");
        if (changed.equals(json)) {
            throw new IllegalStateException("no opSequenceLengths field in the configuration's JSON");
        }
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(changed));
        net.init();
        return net;
    }

    private static void time(DataSet ragged, DataSet unmasked, int rounds) {
        String[] paths = {"MASKED_BIDIRECTIONAL", "FUSED", "FUSED, op seqLen", "DL4J_BIDIRECTIONAL"};
        MultiLayerNetwork[] nets = {network(CrnnModel.Recurrent.MASKED_BIDIRECTIONAL),
                network(CrnnModel.Recurrent.FUSED), fusedWithOpSequenceLengths(),
                network(CrnnModel.Recurrent.DL4J_BIDIRECTIONAL)};
        DataSet[] conditions = {ragged, unmasked};
        Runnable[] calls = new Runnable[paths.length * conditions.length];
        for (int p = 0; p < paths.length; p++) {
            for (int c = 0; c < conditions.length; c++) {
                MultiLayerNetwork net = nets[p];
                DataSet ds = conditions[c];
                calls[p * conditions.length + c] = () -> net.fit(ds);
            }
        }
        long warmUpEnd = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
        do {
            for (Runnable call : calls) {
                call.run();
            }
        } while (System.nanoTime() < warmUpEnd);
        double[] best = new double[calls.length];
        double[] worst = new double[calls.length];
        Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < calls.length; k++) {
                long start = System.nanoTime();
                calls[k].run();
                double ms = (System.nanoTime() - start) / 1e6;
                best[k] = Math.min(best[k], ms);
                worst[k] = Math.max(worst[k], ms);
            }
        }
        System.out.println("| recurrent path | ragged step, best (worst) ms | / masked | no mask step, best (worst) ms"
                + " | / masked |");
        System.out.println("|---|---|---|---|---|");
        for (int p = 0; p < paths.length; p++) {
            int r = p * conditions.length;
            System.out.printf(Locale.ROOT, "| %s | %.0f (%.0f) | %.2f | %.0f (%.0f) | %.2f |%n", paths[p],
                    best[r], worst[r], best[r] / best[0], best[r + 1], worst[r + 1], best[r + 1] / best[1]);
        }
    }

    private static void memory(CrnnModel.Recurrent path, DataSet ragged, int steps) throws InterruptedException {
        MultiLayerNetwork net = network(path);
        net.fit(ragged);
        System.gc();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long[] peaks = new long[2];
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peaks[0] = Math.max(peaks[0], Pointer.totalBytes());
                peaks[1] = Math.max(peaks[1], Pointer.physicalBytes());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            net.fit(ragged);
        }
        double msPerStep = (System.nanoTime() - start) / 1e6 / steps;
        sampler.interrupt();
        sampler.join();
        long heapPeak = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        long workspaces = Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().stream()
                .mapToLong(MemoryWorkspace::getCurrentSize).sum();
        System.out.println("| recurrent path | peak heap (MB) | ND4J workspaces (MB) | peak physicalBytes (MB)"
                + " | peak JavaCPP totalBytes (MB) | maxPhysicalBytes (MB) | ms per step |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n", path, heapPeak / 1e6,
                workspaces / 1e6, peaks[1] / 1e6, peaks[0] / 1e6, Pointer.maxPhysicalBytes() / 1e6, msPerStep);
    }
}
