package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.util.HashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A graph saved by the two-output CtcLossOp (commit 7df65ac: x = randn(seed 7) [6, 2, 5] DOUBLE variable,
 * targets {{1, 2}, {3, 0}}, input lengths {6, 5}, target lengths {2, 1}, default options, loss "loss")
 * must still run after the op became one-output (it failed with "Got 1 op output shapes for an operation with 2
 * outputs" before the node kept its declared outputs).
 */
class CtcOldSavedGraphTest {
    @Test
    void graphSavedByTheTwoOutputOpStillRuns() throws Exception {
        Ctc.registerOps();
        File f = new File(getClass().getResource("/saved/ctc-two-output-7df65ac.fb").toURI());
        SameDiff sd = SameDiff.load(f, true);
        INDArray x = sd.getVariable("x").getArr().dup();
        INDArray targets = Nd4j.createFromArray(new int[][]{{1, 2}, {3, 0}});
        INDArray il = Nd4j.createFromArray(6, 5);
        INDArray tl = Nd4j.createFromArray(2, 1);
        CtcResult eager = Ctc.lossAndGradientFromLogits(x, targets, il, tl, CtcOptions.defaults());
        Close.assertClose(eager.loss().getDouble(0), sd.output(new HashMap<>(), "loss").get("loss"), 1e-12, "loss");
        long recomputedBefore = CtcLossGradientOp.RECOMPUTED.get();
        Close.assertClose(eager.gradient().castTo(DataType.DOUBLE).data().asDouble(),
                sd.calculateGradients(new HashMap<>(), "x").get("x"), 1e-12, "gradient");
        assertEquals(recomputedBefore, CtcLossGradientOp.RECOMPUTED.get(), "the backward op ran the kernel again");
    }
}
