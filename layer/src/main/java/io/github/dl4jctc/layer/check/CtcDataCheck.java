package io.github.dl4jctc.layer.check;

import io.github.dl4jctc.layer.CtcLayerSettings;
import io.github.dl4jctc.layer.CtcLossLayerImpl;
import io.github.dl4jctc.layer.CtcMasks;
import io.github.dl4jctc.layer.CtcOutputLayerImpl;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Pre-flight check of CTC training data against a network: runs over the data once, without training, and returns
 * a {@link CtcDataReport} of the examples that cannot be aligned (fewer output frames than their target needs),
 * labels outside {@code [0, C)} or equal to the blank, empty targets, the minimum slack and a histogram of frames
 * per target label.
 * <p>
 * Each example's frame count is the one the CTC layer will see: the features mask is pushed through the network's
 * own mask propagation ({@code feedForwardMaskArray} of every layer and preprocessor, as {@code fit} does), so
 * convolution strides, pooling and preprocessors that shorten the time axis are accounted for. A minibatch without
 * features mask has the network output's T frames per example, found by running the network on its first example
 * (once per input shape). The network's output layer (for a {@code ComputationGraph}, the named output) must be a
 * {@code CtcOutputLayer} or {@code CtcLossLayer}. The iterator is reset before and after when it supports it; the
 * network's masks and inputs are cleared afterwards, its parameters are not touched.
 *
 * <pre>{@code
 * CtcDataReport report = CtcDataCheck.check(net, trainIterator);
 * System.out.println(report.summary());
 * }</pre>
 */
public final class CtcDataCheck {

    private CtcDataCheck() {
    }

    /**
     * Checks a {@code MultiLayerNetwork} whose last layer is a CTC layer against {@code data}.
     *
     * @throws IllegalArgumentException if the last layer is not a CTC layer, or a mask or labels array has the
     *                                  wrong shape or is not 1s followed by 0s
     */
    public static CtcDataReport check(MultiLayerNetwork net, DataSetIterator data) {
        Layer output = net.getOutputLayer();
        CtcLayerSettings settings = settingsOf(output, "net (its output layer)");
        Accumulator acc = new Accumulator(settings);
        Map<String, long[]> probed = new HashMap<>();
        if (data.resetSupported()) {
            data.reset();
        }
        try {
            while (data.hasNext()) {
                DataSet ds = data.next();
                INDArray features = ds.getFeatures();
                long n = features.size(0);
                INDArray outMask = null;
                if (ds.getFeaturesMaskArray() != null) {
                    net.setLayerMaskArrays(ds.getFeaturesMaskArray(), null);
                    outMask = featuresMaskOf(output);
                    net.clearLayerMaskArrays();
                }
                long[] tc = acc.needsProbe(outMask)
                        ? probed.computeIfAbsent(shapeKey(features), k -> probe(settings,
                        net.output(firstExample(features), false)))
                        : null;
                acc.add(frames(outMask, n, tc), ds.getLabels(), ds.getLabelsMaskArray(), tc);
            }
        } finally {
            net.clear();
            if (data.resetSupported()) {
                data.reset();
            }
        }
        return acc.report();
    }

    /** Checks a {@code ComputationGraph} whose first output is a CTC layer against {@code data}. */
    public static CtcDataReport check(ComputationGraph net, MultiDataSetIterator data) {
        return check(net, data, net.getConfiguration().getNetworkOutputs().get(0));
    }

    /**
     * Checks the output {@code outputName} (a CTC layer) of a {@code ComputationGraph} against {@code data}, whose
     * labels and labels masks are indexed as the graph's outputs.
     *
     * @throws IllegalArgumentException if {@code outputName} is not an output of the graph or not a CTC layer, or a
     *                                  mask or labels array has the wrong shape or is not 1s followed by 0s
     */
    public static CtcDataReport check(ComputationGraph net, MultiDataSetIterator data, String outputName) {
        List<String> outputs = net.getConfiguration().getNetworkOutputs();
        int outputIndex = outputs.indexOf(outputName);
        if (outputIndex < 0) {
            throw new IllegalArgumentException("outputName: got \"" + outputName + "\", expected one of the graph's"
                    + " outputs " + outputs);
        }
        Layer output = net.getLayer(outputName);
        CtcLayerSettings settings = settingsOf(output, "outputName \"" + outputName + "\"");
        Accumulator acc = new Accumulator(settings);
        Map<String, long[]> probed = new HashMap<>();
        if (data.resetSupported()) {
            data.reset();
        }
        try {
            while (data.hasNext()) {
                MultiDataSet mds = data.next();
                INDArray[] features = mds.getFeatures();
                long n = features[0].size(0);
                INDArray outMask = null;
                if (mds.getFeaturesMaskArrays() != null
                        && Arrays.stream(mds.getFeaturesMaskArrays()).anyMatch(m -> m != null)) {
                    net.setLayerMaskArrays(mds.getFeaturesMaskArrays(), null);
                    outMask = featuresMaskOf(output);
                    net.clearLayerMaskArrays();
                }
                long[] tc = null;
                if (acc.needsProbe(outMask)) {
                    StringBuilder key = new StringBuilder();
                    INDArray[] first = new INDArray[features.length];
                    for (int i = 0; i < features.length; i++) {
                        key.append(shapeKey(features[i])).append(';');
                        first[i] = firstExample(features[i]);
                    }
                    tc = probed.computeIfAbsent(key.toString(),
                            k -> probe(settings, net.output(false, first)[outputIndex]));
                }
                INDArray labelsMask = mds.getLabelsMaskArrays() == null ? null
                        : mds.getLabelsMaskArray(outputIndex);
                acc.add(frames(outMask, n, tc), mds.getLabels(outputIndex), labelsMask, tc);
            }
        } finally {
            net.clear();
            if (data.resetSupported()) {
                data.reset();
            }
        }
        return acc.report();
    }

    private static CtcLayerSettings settingsOf(Layer layer, String what) {
        if (!(layer instanceof CtcOutputLayerImpl) && !(layer instanceof CtcLossLayerImpl)) {
            throw new IllegalArgumentException(what + ": got " + (layer == null ? null
                    : layer.getClass().getSimpleName()) + ", expected a CtcOutputLayer or CtcLossLayer");
        }
        return (CtcLayerSettings) layer.conf().getLayer();
    }

    private static INDArray featuresMaskOf(Layer layer) {
        return layer instanceof CtcOutputLayerImpl ? ((CtcOutputLayerImpl) layer).getFeaturesMask()
                : ((CtcLossLayerImpl) layer).getFeaturesMask();
    }

    private static int[] frames(INDArray outMask, long n, long[] tc) {
        if (outMask != null) {
            return CtcMasks.prefixLengths(outMask, "features mask at the CTC layer", n, outMask.size(1));
        }
        int[] frames = new int[Math.toIntExact(n)];
        Arrays.fill(frames, Math.toIntExact(tc[0]));
        return frames;
    }

    /** T and C of an output {@code [1, C, T]} (NCW) or {@code [1, T, C]} (NWC). */
    private static long[] probe(CtcLayerSettings settings, INDArray output) {
        boolean ncw = settings.getRnnDataFormat() == RNNFormat.NCW;
        return new long[]{output.size(ncw ? 2 : 1), output.size(ncw ? 1 : 2)};
    }

    private static INDArray firstExample(INDArray features) {
        return features.get(NDArrayIndex.interval(0, 1)).dup();
    }

    private static String shapeKey(INDArray features) {
        long[] shape = features.shape();
        return Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length));
    }

    /** The findings so far, example after example. */
    private static final class Accumulator {
        private final int blank;
        /** C from the configuration, or -1 when it is only known from the network's output. */
        private final long configuredClasses;
        private long numClasses;
        private long examples;
        private final List<CtcDataReport.Unalignable> unalignable = new ArrayList<>();
        private final List<CtcDataReport.BadLabel> badLabels = new ArrayList<>();
        private final List<Long> emptyTargets = new ArrayList<>();
        private long minimumSlack = Long.MAX_VALUE;
        private long minimumSlackExample = -1;
        private final long[] histogram = new long[CtcDataReport.BIN_LOWER_BOUNDS.length];

        Accumulator(CtcLayerSettings settings) {
            this.blank = settings.getBlankIndex();
            long nOut = ((FeedForwardLayer) settings).getNOut();
            this.configuredClasses = nOut > 0 ? nOut : -1;
            this.numClasses = configuredClasses;
        }

        /** Whether the network must run once to know T (no mask at the CTC layer) or C (not configured). */
        boolean needsProbe(INDArray outMask) {
            return outMask == null || configuredClasses < 0;
        }

        void add(int[] frames, INDArray labels, INDArray labelsMask, long[] probedTc) {
            if (configuredClasses < 0) {
                numClasses = probedTc[1];
            }
            long n = frames.length;
            double[][] rows = labelRows(labels, n);
            int s = rows.length == 0 ? 0 : rows[0].length;
            int[] lengths = CtcMasks.prefixLengths(labelsMask, "labelsMask", n, s);
            for (int i = 0; i < n; i++) {
                long example = examples + i;
                double[] row = rows[i];
                int length = lengths[i];
                if (length == 0) {
                    emptyTargets.add(example);
                }
                boolean valid = true;
                int required = length;
                for (int j = 0; j < length; j++) {
                    double v = row[j];
                    if (v != Math.rint(v) || v < 0 || v >= numClasses || v == blank) {
                        badLabels.add(new CtcDataReport.BadLabel(example, j, v));
                        valid = false;
                    } else if (j > 0 && v == row[j - 1]) {
                        required++;
                    }
                }
                if (!valid) {
                    continue;
                }
                long slack = (long) frames[i] - required;
                if (slack < minimumSlack) {
                    minimumSlack = slack;
                    minimumSlackExample = example;
                }
                if (slack < 0) {
                    unalignable.add(new CtcDataReport.Unalignable(example, frames[i], required));
                }
                if (length > 0) {
                    histogram[bin((double) frames[i] / length)]++;
                }
            }
            examples += n;
        }

        CtcDataReport report() {
            return new CtcDataReport(examples, unalignable, badLabels, emptyTargets, minimumSlack,
                    minimumSlackExample, histogram, (int) numClasses, blank);
        }

        private static int bin(double framesPerLabel) {
            double[] bounds = CtcDataReport.BIN_LOWER_BOUNDS;
            int bin = 0;
            while (bin + 1 < bounds.length && framesPerLabel >= bounds[bin + 1]) {
                bin++;
            }
            return bin;
        }

        private static double[][] labelRows(INDArray labels, long n) {
            if (labels == null) {
                throw new IllegalArgumentException("labels: got null, expected [N, S] or [N, 1, S] class indices");
            }
            boolean padded2d = labels.rank() == 2;
            boolean timeSeries = labels.rank() == 3 && labels.size(1) == 1;
            if (!(padded2d || timeSeries) || labels.size(0) != n) {
                throw new IllegalArgumentException("labels: got shape " + Arrays.toString(labels.shape())
                        + ", expected [N, S] or [N, 1, S] class indices with N = " + n);
            }
            long s = padded2d ? labels.size(1) : labels.size(2);
            if (s == 0) {
                return new double[(int) n][0];
            }
            return labels.reshape(n, s).castTo(DataType.DOUBLE).toDoubleMatrix();
        }
    }
}
