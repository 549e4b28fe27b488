package io.github.dl4jctc.ops;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The eager API against PyTorch 1.13's ctc_loss on every golden case, both layouts and target forms, with each
 * kernel (the Java CPU kernel and libnd4j's, which the CUDA backend uses).
 */
class CtcGoldenTest {
    static List<GoldenCase> cases() {
        return GoldenCase.all();
    }

    private static double tolerance(DataType type) {
        return type == DataType.DOUBLE ? 1e-6 : 2e-3;
    }

    private static INDArray inLayout(INDArray tnc, CtcLayout layout) {
        return layout == CtcLayout.TNC ? tnc : tnc.permute(1, 0, 2).dup('c');
    }

    private static INDArray logProbs(INDArray logits) {
        return Nd4j.exec(new LogSoftMax(logits, 2))[0];
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lossesMatchPyTorchForEveryReductionLayoutAndTargetForm(GoldenCase g) {
        for (CtcKernel kernel : KERNELS) {
            lossesMatch(g, kernel);
        }
    }

    private static final CtcKernel[] KERNELS = {JavaCtcKernel.INSTANCE, LibNd4jCtcKernel.INSTANCE};

    private static INDArray loss(INDArray lp, INDArray targets, GoldenCase g, CtcOptions o, CtcKernel kernel) {
        return CtcLossEngine.loss(lp, targets, g.inputLengthsArray(), g.targetLengthsArray(), o, false, kernel);
    }

    private void lossesMatch(GoldenCase g, CtcKernel kernel) {
        for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
            for (CtcLayout layout : CtcLayout.values()) {
                INDArray lp = inLayout(logProbs(g.logitsTnc(type)), layout);
                for (INDArray targets : new INDArray[]{g.targetsPadded(), g.targetsConcatenated()}) {
                    String what = kernel.getClass().getSimpleName() + " " + g.name + " " + type + " " + layout
                            + " targets rank " + targets.rank();
                    double tol = tolerance(type);
                    Close.assertClose(g.lossNone, loss(lp, targets, g, g.options(CtcReduction.NONE, layout), kernel),
                            tol, what + " NONE");
                    Close.assertClose(g.lossMean, loss(lp, targets, g, g.options(CtcReduction.MEAN, layout), kernel),
                            tol, what + " MEAN");
                    Close.assertClose(g.lossSum, loss(lp, targets, g, g.options(CtcReduction.SUM, layout), kernel),
                            tol, what + " SUM");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logitGradientsMatchPyTorch(GoldenCase g) {
        for (CtcKernel kernel : KERNELS) {
            logitGradientsMatch(g, kernel);
        }
    }

    private void logitGradientsMatch(GoldenCase g, CtcKernel kernel) {
        for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
            for (CtcLayout layout : CtcLayout.values()) {
                INDArray logits = inLayout(g.logitsTnc(type), layout);
                for (CtcReduction reduction : new CtcReduction[]{CtcReduction.MEAN, CtcReduction.SUM}) {
                    CtcResult r = CtcLossEngine.lossAndGradient(logits, g.targetsPadded(), g.inputLengthsArray(),
                            g.targetLengthsArray(), g.options(reduction, layout), true, kernel);
                    String what = kernel.getClass().getSimpleName() + " " + g.name + " " + type + " " + layout + " " + reduction;
                    Close.assertClose(reduction == CtcReduction.MEAN ? g.lossMean : g.lossSum, r.loss(),
                            tolerance(type), what + " loss");
                    INDArray gradTnc = layout == CtcLayout.TNC ? r.gradient() : r.gradient().permute(1, 0, 2);
                    Close.assertClose(reduction == CtcReduction.MEAN ? g.gradMean : g.gradSum, gradTnc.dup('c'),
                            tolerance(type), what + " gradient");
                }
            }
        }
    }

    /** The gradient written into the caller's array (pre-filled with NaN: every element must be written). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logitGradientsIntoTheCallersArrayMatchPyTorch(GoldenCase g) {
        for (CtcKernel kernel : KERNELS) {
            for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
                for (CtcLayout layout : CtcLayout.values()) {
                    INDArray logits = inLayout(g.logitsTnc(type), layout);
                    INDArray gradient = Nd4j.valueArrayOf(logits.shape(), Double.NaN, type);
                    CtcResult r = CtcLossEngine.lossAndGradientInto(logits, g.targetsPadded(), g.inputLengthsArray(),
                            g.targetLengthsArray(), g.options(CtcReduction.MEAN, layout), true, gradient, kernel);
                    String what = kernel.getClass().getSimpleName() + " " + g.name + " " + type + " " + layout;
                    assertSame(gradient, r.gradient(), what);
                    Close.assertClose(g.lossMean, r.loss(), tolerance(type), what + " loss");
                    INDArray gradTnc = layout == CtcLayout.TNC ? gradient : gradient.permute(1, 0, 2);
                    Close.assertClose(g.gradMean, gradTnc.dup('c'), tolerance(type), what + " gradient");
                }
            }
        }
    }
}
