package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.File;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-off in other uses: fit(), a loaded graph, NONE weights in FLOAT, HALF scores, output() from threads. */
class CtcSameDiffHandOffUsesTest {
    private static final INDArray TARGETS = Nd4j.createFromArray(new int[][]{{1, 2}, {3, 0}});
    private static final INDArray IL = Nd4j.createFromArray(6, 5);
    private static final INDArray TL = Nd4j.createFromArray(2, 1);

    private static INDArray logits(DataType type, long... shape) {
        Nd4j.getRandom().setSeed(7);
        return Nd4j.randn(DataType.DOUBLE, shape).castTo(type);
    }

    @Test
    void fitUsesTheKeptGradientAndStepsByIt() {
        INDArray x0 = logits(DataType.DOUBLE, 6, 2, 5);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", x0.dup());
        SDVariable in = sd.placeHolder("dummy", DataType.DOUBLE, 1);
        SDVariable loss = Ctc.lossFromLogits(sd, "ctc", x.add(in.mul(0.0)), sd.constant(TARGETS),
                sd.constant(IL), sd.constant(TL), CtcOptions.defaults());
        loss.rename("loss");
        sd.setLossVariables("loss");
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Sgd(0.5)).dataSetFeatureMapping("dummy").markLabelsUnused()
                .build());
        INDArray expected = x0.dup();
        for (int i = 0; i < 3; i++) {
            INDArray g = Ctc.lossAndGradientFromLogits(expected, TARGETS, IL, TL, CtcOptions.defaults()).gradient();
            expected.subi(g.mul(0.5));
            sd.fit(new MultiDataSet(new INDArray[]{Nd4j.zeros(DataType.DOUBLE, 1)}, new INDArray[0]));
        }
        Close.assertClose(expected.data().asDouble(), sd.getVariable("x").getArr(), 1e-12, "after 3 SGD steps");
    }

    @Test
    void loadedGraphUsesTheKeptGradient(@TempDir File dir) throws Exception {
        INDArray x0 = logits(DataType.DOUBLE, 6, 2, 5);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", x0.dup());
        Ctc.lossFromLogits(sd, "ctc", x, sd.constant(TARGETS), sd.constant(IL), sd.constant(TL),
                CtcOptions.defaults()).rename("loss");
        sd.setLossVariables("loss");
        sd.calculateGradients(new HashMap<>(), "x");   // grad function exists before saving
        File f = new File(dir, "g.fb");
        sd.save(f, true);
        SameDiff loaded = SameDiff.load(f, true);
        INDArray g = loaded.calculateGradients(new HashMap<>(), "x").get("x");
        Close.assertClose(Ctc.lossAndGradientFromLogits(x0, TARGETS, IL, TL, CtcOptions.defaults()).gradient()
                .data().asDouble(), g, 1e-12, "loaded");
        SameDiff dup = sd.dup();
        Close.assertClose(Ctc.lossAndGradientFromLogits(x0, TARGETS, IL, TL, CtcOptions.defaults()).gradient()
                .data().asDouble(), dup.calculateGradients(new HashMap<>(), "x").get("x"), 1e-12, "dup");
    }

    @Test
    void noneWeightsInFloatBothLayouts() {
        for (CtcLayout layout : CtcLayout.values()) {
            CtcOptions o = CtcOptions.builder().layout(layout).reduction(CtcReduction.NONE).build();
            INDArray x0 = logits(DataType.FLOAT, layout == CtcLayout.TNC ? new long[]{6, 2, 5} : new long[]{2, 6, 5});
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", x0.dup());
            SDVariable l = Ctc.lossFromLogits(sd, "ctc", x, sd.constant(TARGETS), sd.constant(IL), sd.constant(TL), o);
            // DOUBLE weights after a cast: the incoming gradient is FLOAT again after the cast's backward
            l.castTo(DataType.DOUBLE).mul(sd.constant(Nd4j.createFromArray(3.0, -0.5))).sum().rename("total");
            sd.setLossVariables("total");
            INDArray g = sd.calculateGradients(new HashMap<>(), "x").get("x");
            INDArray e = Ctc.lossAndGradientFromLogits(x0, TARGETS, IL, TL, o).gradient().castTo(DataType.DOUBLE);
            int axis = layout == CtcLayout.TNC ? 1 : 0;
            double[] w = {3.0, -0.5};
            for (int n = 0; n < 2; n++) {
                INDArray en = axis == 1 ? e.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(n)) : e.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n));
                INDArray gn = axis == 1 ? g.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(n)) : g.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n));
                Close.assertClose(en.mul(w[n]).dup().data().asDouble(), gn.castTo(DataType.DOUBLE).dup(), 1e-6,
                        layout + " sample " + n);
            }
        }
    }

    @Test
    void halfScoresGraph() {
        INDArray x0 = logits(DataType.HALF, 6, 2, 5);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", x0.dup());
        Ctc.lossFromLogits(sd, "ctc", x, sd.constant(TARGETS), sd.constant(IL), sd.constant(TL),
                CtcOptions.defaults()).mul(2.0).rename("total");
        sd.setLossVariables("total");
        INDArray g = sd.calculateGradients(new HashMap<>(), "x").get("x");
        assertEquals(DataType.HALF, g.dataType());
        INDArray e = Ctc.lossAndGradientFromLogits(x0, TARGETS, IL, TL, CtcOptions.defaults()).gradient().mul(2.0);
        Close.assertClose(e.castTo(DataType.DOUBLE).data().asDouble(), g.castTo(DataType.DOUBLE), 1e-2, "half");
    }

    @Test
    void outputOnlyFromManyThreads() throws Exception {
        INDArray x0 = logits(DataType.DOUBLE, 6, 2, 5);
        SameDiff sd = SameDiff.create();
        SDVariable xp = sd.placeHolder("x", DataType.DOUBLE, -1, 2, 5);
        Ctc.lossFromLogits(sd, "ctc", xp, sd.constant(TARGETS), sd.constant(IL), sd.constant(TL),
                CtcOptions.defaults()).rename("loss");
        double expected = Ctc.lossFromLogits(x0, TARGETS, IL, TL, CtcOptions.defaults()).getDouble(0);
        Thread[] ts = new Thread[4];
        Throwable[] err = new Throwable[1];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = new Thread(() -> {
                try {
                    for (int k = 0; k < 20; k++) {
                        Map<String, INDArray> ph = new HashMap<>();
                        ph.put("x", x0);
                        assertEquals(expected, sd.output(ph, "loss").get("loss").getDouble(0), 1e-12);
                    }
                } catch (Throwable t) {
                    synchronized (err) { err[0] = t; }
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) t.join();
        if (err[0] != null) throw new AssertionError(err[0]);
    }
}
