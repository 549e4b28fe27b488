package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * One kernel run per node and pass: the backward op uses the gradient its forward run kept
 * ({@link GradientHandOff}), and only for the same node and arrays; a node only evaluated keeps nothing.
 */
class CtcSameDiffHandOffTest {
    private static final CtcOptions MEAN_TNC = CtcOptions.builder().layout(CtcLayout.TNC).build();

    private static List<INDArray> inputs(long seed, int t, int n, int c) {
        Nd4j.getRandom().setSeed(seed);
        INDArray logits = Nd4j.randn(DataType.DOUBLE, t, n, c);
        INDArray targets = Nd4j.createFromArray(new int[][]{{1, 2}, {3, 0}}).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n), org.nd4j.linalg.indexing.NDArrayIndex.all());
        return List.of(logits, targets.dup(), Nd4j.createFromArray(t, t - 1).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup(), Nd4j.createFromArray(2, 1).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup());
    }

    @Test
    void keptGradientIsFoundOnlyForTheSameNodeAndArrays() {
        List<INDArray> in = inputs(1, 6, 2, 5);
        CtcResult r = GradientHandOff.computeAndKeep("node", in, MEAN_TNC, true);
        CtcResult eager = Ctc.lossAndGradientFromLogits(in.get(0), in.get(1), in.get(2), in.get(3), MEAN_TNC);
        assertEquals(eager.gradient(), r.gradient());
        assertSame(r.gradient(), GradientHandOff.find("node", in));

        assertNull(GradientHandOff.find("other node", in));
        assertNull(GradientHandOff.find(null, in));
        assertNull(GradientHandOff.find("node", List.of(in.get(0).dup(), in.get(1), in.get(2), in.get(3))),
                "equal values in another array");
        assertNull(GradientHandOff.find("node", List.of(in.get(0), in.get(1), in.get(2), in.get(3).dup())),
                "another target lengths array");
    }

    @Test
    void calculateGradientsKeepsOneGradientPerNodeForItsOwnArrays() {
        List<INDArray> a = inputs(2, 6, 2, 5);
        List<INDArray> b = inputs(3, 7, 2, 5);
        SameDiff sd = SameDiff.create();
        SDVariable la = sd.var("logitsA", a.get(0));
        SDVariable lb = sd.var("logitsB", b.get(0));
        SDVariable lossA = Ctc.lossFromLogits(sd, "ctcA", la, sd.constant(a.get(1)), sd.constant(a.get(2)),
                sd.constant(a.get(3)), MEAN_TNC);
        SDVariable lossB = Ctc.lossFromLogits(sd, "ctcB", lb, sd.constant(b.get(1)), sd.constant(b.get(2)),
                sd.constant(b.get(3)), MEAN_TNC);
        lossA.mul(2.0).add(lossB).rename("total");
        sd.setLossVariables("total");

        for (int step = 0; step < 3; step++) {
            Map<String, INDArray> g = sd.calculateGradients(new HashMap<>(), "logitsA", "logitsB");
            INDArray expectedA = Ctc.lossAndGradientFromLogits(a.get(0), a.get(1), a.get(2), a.get(3), MEAN_TNC)
                    .gradient().mul(2.0);
            INDArray expectedB = Ctc.lossAndGradientFromLogits(b.get(0), b.get(1), b.get(2), b.get(3), MEAN_TNC)
                    .gradient();
            assertNotNull(g.get("logitsA"));
            Close.assertClose(expectedA.data().asDouble(), g.get("logitsA"), 1e-12, "node A, step " + step);
            Close.assertClose(expectedB.data().asDouble(), g.get("logitsB"), 1e-12, "node B, step " + step);
            // each node's forward run kept its gradient for the arrays its backward op reads
            assertNotNull(GradientHandOff.find(sd.getVariableOutputOp(lossA.name()).getOwnName(), a), "node A");
            assertNotNull(GradientHandOff.find(sd.getVariableOutputOp(lossB.name()).getOwnName(), b), "node B");
            a.get(0).addi(0.1);   // as an updater would: the same arrays, new values
        }
    }

    @Test
    void aNodeThatIsOnlyEvaluatedKeepsNoGradient() {
        List<INDArray> a = inputs(4, 6, 2, 5);
        SameDiff sd = SameDiff.create();
        Ctc.lossFromLogits(sd, "inferenceOnly", sd.var("logits", a.get(0)), sd.constant(a.get(1)),
                sd.constant(a.get(2)), sd.constant(a.get(3)), MEAN_TNC);
        double loss = sd.output(new HashMap<>(), "inferenceOnly").get("inferenceOnly").getDouble(0);
        assertEquals(Ctc.lossFromLogits(a.get(0), a.get(1), a.get(2), a.get(3), MEAN_TNC).getDouble(0), loss, 1e-12);
        assertNull(GradientHandOff.find("inferenceOnly", a));
    }
}
