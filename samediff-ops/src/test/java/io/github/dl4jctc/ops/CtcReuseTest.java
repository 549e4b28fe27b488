package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Intermediates are reused from call to call on a thread ({@link ReusableArrays}); what a caller receives must
 * never be one of them: a second call of the same shape must leave the first call's results as they were.
 */
class CtcReuseTest {
    private static final INDArray TARGETS = Nd4j.createFromArray(new int[][]{{1, 2, 2}, {3, 1, 0}});
    private static final INDArray INPUT_LENGTHS = Nd4j.createFromArray(9, 7);
    private static final INDArray TARGET_LENGTHS = Nd4j.createFromArray(3, 2);

    @Test
    void eagerResultsSurviveTheNextCallInEveryLayoutAndInput() {
        for (CtcLayout layout : CtcLayout.values()) {
            for (boolean fromLogits : new boolean[]{true, false}) {
                CtcOptions o = CtcOptions.builder().layout(layout).build();
                long[] shape = layout == CtcLayout.TNC ? new long[]{9, 2, 4} : new long[]{2, 9, 4};
                INDArray first = scores(1, shape, fromLogits);
                CtcResult a = call(first, o, fromLogits);
                INDArray lossBefore = a.loss().dup();
                INDArray gradientBefore = a.gradient().dup();

                CtcResult b = call(scores(2, shape, fromLogits), o, fromLogits);
                Ctc.loss(scores(3, shape, false), TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, o);

                String what = layout + (fromLogits ? " logits" : " log-probs");
                assertEquals(lossBefore, a.loss(), what);
                assertEquals(gradientBefore, a.gradient(), what);
                assertNotEquals(a.gradient(), b.gradient(), what + ": different inputs should give different gradients");
            }
        }
    }

    @Test
    void sameDiffGradientsSurviveTheNextCall() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("logits", scores(1, new long[]{9, 2, 4}, true));
        Ctc.lossFromLogits(sd, "loss", x, sd.constant("t", TARGETS), sd.constant("il", INPUT_LENGTHS),
                sd.constant("tl", TARGET_LENGTHS), CtcOptions.defaults());
        sd.setLossVariables("loss");
        Map<String, INDArray> none = new HashMap<>();
        INDArray first = sd.calculateGradients(none, "logits").get("logits");
        INDArray firstCopy = first.dup();
        sd.getVariable("logits").setArray(scores(2, new long[]{9, 2, 4}, true));
        INDArray second = sd.calculateGradients(none, "logits").get("logits");

        assertEquals(firstCopy, first);
        assertNotEquals(first, second);
        CtcResult eager = Ctc.lossAndGradientFromLogits(scores(2, new long[]{9, 2, 4}, true), TARGETS,
                INPUT_LENGTHS, TARGET_LENGTHS, CtcOptions.defaults());
        assertEquals(eager.gradient(), second);
    }

    private static CtcResult call(INDArray scores, CtcOptions o, boolean fromLogits) {
        return fromLogits
                ? Ctc.lossAndGradientFromLogits(scores, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, o)
                : Ctc.lossAndGradient(scores, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, o);
    }

    private static INDArray scores(long seed, long[] shape, boolean logits) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, shape);
        return logits ? x : Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax(x, 2))[0];
    }
}
