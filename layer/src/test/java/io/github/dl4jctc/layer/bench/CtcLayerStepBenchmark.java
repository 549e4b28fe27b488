package io.github.dl4jctc.layer.bench;

import io.github.dl4jctc.layer.CtcLossLayer;
import io.github.dl4jctc.layer.CtcOutputLayer;
import io.github.dl4jctc.ops.Ctc;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import io.github.dl4jctc.ops.bench.InterleavedTimer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Locale;
import java.util.Random;

/**
 * What a {@link CtcOutputLayer} training step costs next to the op alone on the same activations: for each of
 * issue 5's shapes (N x T x C, S) with {@code nIn = 256} features per frame (a BiLSTM of 128),
 * <ul>
 *   <li>layer: {@code computeGradientAndScore()} of a network holding only the layer (its projection forward,
 *   loss + gradient, weight/bias gradients, epsilon, score), MEAN reduction, float32;</li>
 *   <li>op: {@code Ctc.lossAndGradientFromLogits} on that layer's logits, precomputed;</li>
 *   <li>projection: the three matrix products any dense output layer does (pre-output, weight gradient,
 *   epsilon), into preallocated arrays;</li>
 *   <li>by hand: the work the layer cannot avoid, in the order it does it, with the public API on arrays
 *   prepared in advance (input rows already [N*T, nIn]): logits product and bias, the op into a preallocated
 *   gradient, weight, bias and epsilon products. So it sees the same hand-overs between native ops and the op's
 *   Java threads as the layer (libnd4j's OpenMP workers spin for a few ms after an op, slowing the Java threads
 *   that run next: the op alone, timed back to back, does not pay that).</li>
 *   <li>loss layer: {@code computeGradientAndScore()} of a network holding only a {@link CtcLossLayer} whose input
 *   is the op's logits in the layer's format ({@code [N, C, T]} or {@code [N, T, C]}, c order): the op plus DL4J
 *   plumbing (labels and masks read, epsilon in the layer's format times N);</li>
 *   <li>op into: the op writing its gradient into a preallocated array, as the loss layer does.</li>
 * </ul>
 * and the ratios layer / op, (layer - projection) / op, layer / by hand (what the output layer adds: its DL4J
 * plumbing, the NCW layout copies of input and epsilon, masks and labels) and loss layer / op. Best of
 * {@code rounds} rounds of {@code reps} calls, the five taking turns within each round. Arguments: rounds reps [shape index, to
 * run one shape only, or "all"] [ncw (default) or nwc: the layer's input format; NWC input needs no transposing
 * copies] [cpu: times by the calling thread's CPU time, comparable on a loaded machine; run single-threaded then,
 * {@code OMP_NUM_THREADS=1 java -XX:ActiveProcessorCount=1 ...}, or the other threads' work is not counted].
 * <p>
 * Run: {@code mvn -q -pl layer -am test-compile} then {@code mvn -q -pl layer exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.dl4jctc.layer.bench.CtcLayerStepBenchmark}.
 */
public final class CtcLayerStepBenchmark {
    private static final int FEATURES = 256;
    private static final int[][] SHAPES = {   // N, T, C, S
            {32, 150, 29, 40},
            {16, 400, 5000, 60},
            {64, 100, 80, 30},
    };

    private CtcLayerStepBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.println("| N x T x C, S | layer step (ms) | op alone (ms) | projection matmuls (ms) | layer / op "
                + "| (layer - projection) / op | by hand (ms) | layer / by hand | loss layer step (ms) | loss layer / op "
                + "| op into (ms) | loss layer / op into |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        boolean nwc = args.length > 3 && args[3].equalsIgnoreCase("nwc");
        boolean cpuTime = args.length > 4 && args[4].equalsIgnoreCase("cpu");
        System.out.println(cpuTime ? "times: CPU time of the calling thread" : "times: wall");
        System.out.println("layer input format " + (nwc ? "NWC" : "NCW"));
        for (int i = 0; i < SHAPES.length; i++) {
            int[] s = SHAPES[i];
            if (args.length < 3 || args[2].equals("all") || Integer.parseInt(args[2]) == i) {
                run(s[0], s[1], s[2], s[3], rounds, reps, nwc, cpuTime);
            }
        }
    }

    private static void run(int n, int t, int c, int s, int rounds, int reps, boolean nwc, boolean cpuTime) {
        Random r = new Random(1);
        INDArray x = nwc ? Nd4j.randn(DataType.FLOAT, n, t, FEATURES) : Nd4j.randn(DataType.FLOAT, n, FEATURES, t);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, s);
        INDArray featuresMask = Nd4j.zeros(DataType.FLOAT, n, t);
        INDArray labelsMask = Nd4j.zeros(DataType.FLOAT, n, s);
        int[] il = new int[n];
        int[] tl = new int[n];
        int[][] targets = new int[n][s];
        for (int i = 0; i < n; i++) {
            il[i] = t - r.nextInt(t / 10 + 1);
            tl[i] = s - r.nextInt(s / 4 + 1);
            for (int j = 0; j < s; j++) {
                targets[i][j] = 1 + r.nextInt(c - 1);
                labels.putScalar(i, j, targets[i][j]);
                labelsMask.putScalar(i, j, j < tl[i] ? 1.0 : 0.0);
            }
            for (int f = 0; f < il[i]; f++) featuresMask.putScalar(i, f, 1.0);
        }

        MultiLayerNetwork net = network(c, t, nwc ? RNNFormat.NWC : RNNFormat.NCW);
        INDArray weights = net.getLayer(0).getParam("W");
        INDArray bias = net.getLayer(0).getParam("b");
        INDArray rows = (nwc ? x : x.permute(0, 2, 1)).dup('c').reshape(n * t, FEATURES);
        INDArray logits = rows.mmul(weights).addiRowVector(bias).reshape(n, t, c);
        INDArray tg = Nd4j.createFromArray(targets);
        INDArray inLen = Nd4j.createFromArray(il);
        INDArray tgLen = Nd4j.createFromArray(tl);
        CtcOptions options = CtcOptions.builder().layout(CtcLayout.NTC).build();   // MEAN, as the layer's default

        INDArray preout = Nd4j.createUninitialized(DataType.FLOAT, n * t, c);
        INDArray weightGrad = Nd4j.createUninitialized(DataType.FLOAT, FEATURES, c);
        INDArray epsilon = Nd4j.createUninitialized(DataType.FLOAT, n * t, FEATURES);
        INDArray delta = Nd4j.rand(DataType.FLOAT, n * t, c);

        Runnable layer = () -> {
            net.setInput(x);
            net.setLabels(labels);
            net.setLayerMaskArrays(featuresMask, labelsMask);
            net.computeGradientAndScore();
        };
        Runnable op = () -> Ctc.lossAndGradientFromLogits(logits, tg, inLen, tgLen, options);
        Runnable projection = () -> {
            Nd4j.gemm(rows, weights, preout, false, false, 1.0, 0.0);
            Nd4j.gemm(rows, delta, weightGrad, true, false, 1.0, 0.0);
            Nd4j.gemm(delta, weights, epsilon, false, true, 1.0, 0.0);
        };
        INDArray gradient = Nd4j.createUninitialized(DataType.FLOAT, n, t, c);
        INDArray biasGrad = Nd4j.createUninitialized(DataType.FLOAT, 1, c);
        INDArray ones = Nd4j.ones(DataType.FLOAT, 1, n * t);
        INDArray logits3d = preout.reshape(n, t, c);
        INDArray delta2d = gradient.reshape(n * t, c);
        Runnable byHand = () -> {
            Nd4j.gemm(rows, weights, preout, false, false, 1.0, 0.0);
            preout.addiRowVector(bias);
            Ctc.lossAndGradientFromLogits(logits3d, tg, inLen, tgLen, options, gradient);
            Nd4j.gemm(rows, delta2d, weightGrad, true, false, n, 0.0);
            Nd4j.gemm(ones, delta2d, biasGrad, false, false, n, 0.0);
            Nd4j.gemm(delta2d, weights, epsilon, false, true, n, 0.0);
        };
        MultiLayerNetwork lossNet = lossNetwork(c, t, nwc ? RNNFormat.NWC : RNNFormat.NCW);
        INDArray logitsInFormat = (nwc ? logits : logits.permute(0, 2, 1)).dup('c');
        Runnable lossLayer = () -> {
            lossNet.setInput(logitsInFormat);
            lossNet.setLabels(labels);
            lossNet.setLayerMaskArrays(featuresMask, labelsMask);
            lossNet.computeGradientAndScore();
        };
        INDArray opGradient = Nd4j.createUninitialized(DataType.FLOAT, n, t, c);
        Runnable opInto = () -> Ctc.lossAndGradientFromLogits(logits, tg, inLen, tgLen, options, opGradient);
        double[] best = InterleavedTimer.bestInterleaved(
                new Runnable[]{layer, op, projection, byHand, lossLayer, opInto}, rounds, reps, cpuTime);
        System.out.printf(Locale.ROOT, "| %dx%dx%d, %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f "
                        + "| %.2f | %.2f |%n", n, t, c, s, best[0], best[1], best[2], best[0] / best[1],
                (best[0] - best[2]) / best[1], best[3], best[0] / best[3], best[4], best[4] / best[1], best[5],
                best[4] / best[5]);
    }

    private static MultiLayerNetwork lossNetwork(int classes, int frames, RNNFormat format) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new NoOp())
                .list()
                .layer(new CtcLossLayer.Builder().dataFormat(format).build())
                .setInputType(InputType.recurrent(classes, frames, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerNetwork network(int classes, int frames, RNNFormat format) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new NoOp())
                .list()
                .layer(new CtcOutputLayer.Builder().nIn(FEATURES).nOut(classes).dataFormat(format).build())
                .setInputType(InputType.recurrent(FEATURES, frames, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
