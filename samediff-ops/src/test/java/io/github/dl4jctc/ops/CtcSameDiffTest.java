package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SameDiff ops: PyTorch's numbers through placeholders, training, save/load, and errors at run time. */
class CtcSameDiffTest {
    private static GoldenCase golden(String name) {
        return GoldenCase.all().stream().filter(g -> g.name.equals(name)).findFirst().orElseThrow();
    }

    /** logits placeholder -> CTC (MEAN) with shapes left open, as a user would build it. */
    private static SameDiff meanLossGraph(GoldenCase g, boolean concatenated) {
        SameDiff sd = SameDiff.create();
        SDVariable logits = sd.placeHolder("logits", DataType.DOUBLE, -1, -1, g.c);
        // SameDiff differentiates only graphs with a trainable variable; a zero bias leaves the numbers as they are.
        SDVariable biased = logits.add(sd.var("bias", Nd4j.zeros(DataType.DOUBLE, g.c)));
        SDVariable targets = concatenated ? sd.placeHolder("targets", DataType.INT, -1)
                : sd.placeHolder("targets", DataType.INT, -1, -1);
        SDVariable il = sd.placeHolder("inputLengths", DataType.INT, -1);
        SDVariable tl = sd.placeHolder("targetLengths", DataType.INT, -1);
        Ctc.lossFromLogits(sd, "loss", biased, targets, il, tl, g.options(CtcReduction.MEAN, CtcLayout.TNC));
        sd.setLossVariables("loss");
        return sd;
    }

    private static Map<String, INDArray> feed(GoldenCase g, boolean concatenated) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("logits", g.logitsTnc(DataType.DOUBLE));
        ph.put("targets", concatenated ? g.targetsConcatenated() : g.targetsPadded());
        ph.put("inputLengths", g.inputLengthsArray());
        ph.put("targetLengths", g.targetLengthsArray());
        return ph;
    }

    @Test
    void graphGivesPyTorchLossAndGradient() {
        for (boolean concatenated : new boolean[]{false, true}) {
            for (String name : List.of("basic", "ragged_lengths", "empty_target", "long_sequence", "blank_middle_wide_vocab")) {
                GoldenCase g = golden(name);
                SameDiff sd = meanLossGraph(g, concatenated);
                Map<String, INDArray> ph = feed(g, concatenated);
                Close.assertClose(g.lossMean, sd.output(ph, "loss").get("loss"), 1e-9, name + " loss");
                Map<String, INDArray> grads = sd.calculateGradients(ph, "logits");
                Close.assertClose(g.gradMean, grads.get("logits"), 1e-7, name + " gradient");
            }
        }
    }

    @Test
    void oneGraphServesMinibatchesOfDifferentShapes() {
        GoldenCase g = golden("ragged_lengths");
        SameDiff sd = meanLossGraph(g, false);
        INDArray logits = g.logitsTnc(DataType.DOUBLE);
        int[][] cuts = {{30, 5, 7}, {12, 3, 5}, {9, 2, 3}};   // T, N, S of each minibatch
        for (int[] cut : cuts) {
            INDArray x = logits.get(NDArrayIndex.interval(0, cut[0]), NDArrayIndex.interval(0, cut[1]),
                    NDArrayIndex.all()).dup();
            INDArray targets = g.targetsPadded().get(NDArrayIndex.interval(0, cut[1]), NDArrayIndex.interval(0, cut[2])).dup();
            INDArray il = Transforms.min(g.inputLengthsArray().get(NDArrayIndex.interval(0, cut[1])).dup(), cut[0]);
            INDArray tl = Transforms.min(g.targetLengthsArray().get(NDArrayIndex.interval(0, cut[1])).dup(), cut[2]);
            Map<String, INDArray> ph = new HashMap<>();
            ph.put("logits", x);
            ph.put("targets", targets);
            ph.put("inputLengths", il);
            ph.put("targetLengths", tl);
            CtcResult eager = Ctc.lossAndGradientFromLogits(x, targets, il, tl, CtcOptions.defaults());
            assertEquals(eager.loss().getDouble(0), sd.output(ph, "loss").get("loss").getDouble(0), 1e-12);
            assertEquals(eager.gradient(), sd.calculateGradients(ph, "logits").get("logits"));
        }
    }

    @Test
    void saveAndLoadKeepTheOpAndItsOptions(@TempDir File dir) throws Exception {
        GoldenCase g = golden("blank_last");   // blank 8: the options must survive the trip
        SameDiff sd = meanLossGraph(g, false);
        Map<String, INDArray> ph = feed(g, false);
        double before = sd.output(ph, "loss").get("loss").getDouble(0);
        File f = new File(dir, "ctc.fb");
        sd.save(f, true);

        SameDiff loaded = SameDiff.load(f, true);
        double after = loaded.output(ph, "loss").get("loss").getDouble(0);
        assertEquals(before, after, 0.0);
        Close.assertClose(g.lossMean, loaded.output(ph, "loss").get("loss"), 1e-9, "loaded loss");
        Close.assertClose(g.gradMean, loaded.calculateGradients(ph, "logits").get("logits"), 1e-7, "loaded gradient");

        SameDiff fromFlat = SameDiff.fromFlatFile(f);
        assertEquals(before, fromFlat.output(ph, "loss").get("loss").getDouble(0), 0.0);
    }

    @Test
    void trainingThroughTheOpLowersTheLoss() {
        GoldenCase g = golden("ragged_lengths");
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("logits", g.logitsTnc(DataType.FLOAT).mul(0.1));
        SDVariable loss = Ctc.lossFromLogits(sd, "loss", x, sd.constant(g.targetsPadded()),
                sd.constant(g.inputLengthsArray()), sd.constant(g.targetLengthsArray()), CtcOptions.defaults());
        sd.setLossVariables("loss");
        double first = sd.output(new HashMap<>(), "loss").get("loss").getDouble(0);
        for (int i = 0; i < 100; i++) {
            INDArray grad = sd.calculateGradients(new HashMap<>(), "logits").get("logits");
            x.getArr().subi(grad.mul(20.0));
        }
        double last = sd.output(new HashMap<>(), "loss").get("loss").getDouble(0);
        assertTrue(last < 0.2 * first, "loss went from " + first + " to " + last);
    }

    @Test
    void badInputIsRefusedWhenTheGraphRuns() {
        GoldenCase g = golden("basic");
        SameDiff sd = meanLossGraph(g, false);
        Map<String, INDArray> ph = feed(g, false);
        ph.put("targets", Nd4j.createFromArray(new int[][]{{1, 2, 3, 6}, {1, 1, 1, 1}, {2, 2, 2, 2}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sd.output(ph, "loss"));
        assertTrue(e.getMessage().contains("targets") && e.getMessage().contains("6"), e.getMessage());
        // and the graph still answers correctly afterwards
        Close.assertClose(g.lossMean, sd.output(feed(g, false), "loss").get("loss"), 1e-9, "after error");
    }
}
