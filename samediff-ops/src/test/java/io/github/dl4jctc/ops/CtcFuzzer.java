package io.github.dl4jctc.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs random {@link FuzzCase}s through one kernel (via {@link CtcLossEngine}, loss alone and loss with gradient)
 * and compares every number with the float64 {@link CtcReference}. Shared by the bounded unit test and the long
 * {@code bench.CtcFuzz} run.
 * <p>
 * Errors: a finite loss is compared as {@code |actual - expected| / max(|expected|, 1)}: relative for a negative
 * log-likelihood above 1, absolute below (an absolute error in -log p is the relative error of p itself). A
 * gradient entry is compared after dividing by its sample's reduction weight, which makes every expected entry a
 * probability difference in [-1, 1], so the error is absolute on that scale. Non-finite values must match exactly
 * (NaN with NaN, +inf with +inf); frames past an input length must be exactly 0.
 * <p>
 * The figures are kept apart for cases within the specification (score scale up to 50) and for the extreme ones
 * (scale 150, log-probabilities down to about -1500).
 */
public final class CtcFuzzer {
    /** The two production kernels. */
    public enum Kernel {
        JAVA(JavaCtcKernel.INSTANCE), LIBND4J(LibNd4jCtcKernel.INSTANCE);

        final CtcKernel kernel;

        Kernel(CtcKernel kernel) {
            this.kernel = kernel;
        }
    }

    /** Largest errors and failures over a set of cases. */
    public static final class Errors {
        private static final int MAX_FAILURES_KEPT = 20;

        public int cases, failureCount;
        /** Over the losses returned with the gradient, and over those of the loss-only call. */
        public double maxLossError, maxLossAloneError, maxGradientError;
        public String worstLossCase = "", worstLossAloneCase = "", worstGradientCase = "";
        public final List<String> failures = new ArrayList<>();

        /** Within {@code tolerance} everywhere, nothing failed; {@code lossAlone}: the loss-only call counts too. */
        public boolean within(double tolerance, boolean lossAlone) {
            return failureCount == 0 && maxLossError <= tolerance && maxGradientError <= tolerance
                    && (!lossAlone || maxLossAloneError <= tolerance);
        }

        void fail(String message) {
            failureCount++;
            if (failures.size() < MAX_FAILURES_KEPT) failures.add(message);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d cases: max loss error %.3g (loss alone %.3g), max gradient error"
                    + " %.3g, failures %d", cases, maxLossError, maxLossAloneError, maxGradientError, failureCount);
        }

        /** The worst cases and the first failures, one per line. */
        public String details() {
            StringBuilder sb = new StringBuilder();
            sb.append("    worst loss:       ").append(worstLossCase).append('\n');
            sb.append("    worst loss alone: ").append(worstLossAloneCase).append('\n');
            sb.append("    worst gradient:   ").append(worstGradientCase).append('\n');
            failures.forEach(f -> sb.append("    FAILED ").append(f).append('\n'));
            return sb.toString();
        }
    }

    /** What one run saw. */
    public static final class Report {
        public final Kernel kernel;
        public int cases, samples, infeasibleSamples, emptyTargets, emptyInputs, peakySamples, logitCases;
        /** Cases with score scale up to 50, and with scale 150. */
        public final Errors spec = new Errors(), extreme = new Errors();

        Report(Kernel kernel) {
            this.kernel = kernel;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s kernel: %d cases (%d from logits), %d samples (%d infeasible, %d"
                            + " empty targets, %d empty inputs, %d at scale >= 50)%n  scale <= 50: %s%n  scale 150:"
                            + "   %s",
                    kernel, cases, logitCases, samples, infeasibleSamples, emptyTargets, emptyInputs, peakySamples,
                    spec, extreme);
        }
    }

    private CtcFuzzer() {
    }

    /** {@code cases} random cases from {@code seed} through {@code kernel}. */
    public static Report run(long seed, int cases, Kernel kernel) {
        return run(seed, java.util.stream.IntStream.range(0, cases).toArray(), kernel);
    }

    /** The given cases of the run with {@code seed}, e.g. to replay the failures of a long run. */
    public static Report run(long seed, int[] caseIndices, Kernel kernel) {
        Report report = new Report(kernel);
        for (int k : caseIndices) {
            FuzzCase fc = FuzzCase.of(seed, k);
            check(fc, "case " + k + " of seed " + seed + " (" + fc + ")", kernel.kernel, report);
        }
        return report;
    }

    private static void check(FuzzCase fc, String what, CtcKernel kernel, Report report) {
        report.cases++;
        if (fc.fromLogits) report.logitCases++;
        for (int i = 0; i < fc.n; i++) {
            report.samples++;
            if (fc.infeasible(i)) report.infeasibleSamples++;
            if (fc.targetLengths[i] == 0) report.emptyTargets++;
            if (fc.inputLengths[i] == 0) report.emptyInputs++;
            if (fc.scale >= 50) report.peakySamples++;
        }
        Errors errors = fc.scale > 50 ? report.extreme : report.spec;
        errors.cases++;
        INDArray scores = fc.scoresArray();
        INDArray targets = fc.targetsArray();
        CtcResult result;
        INDArray lossOnly;
        try {
            result = CtcLossEngine.lossAndGradient(scores, targets, fc.inputLengthsArray(), fc.targetLengthsArray(),
                    fc.options, fc.fromLogits, kernel);
            lossOnly = CtcLossEngine.loss(scores, targets, fc.inputLengthsArray(), fc.targetLengthsArray(),
                    fc.options, fc.fromLogits, kernel);
        } catch (RuntimeException e) {
            errors.fail(what + ": threw " + e);
            return;
        }
        double[] expected = fc.referenceReducedLoss();
        double lossError = compareLoss(expected, result.loss().toDoubleVector(), what + " loss", errors);
        if (lossError > errors.maxLossError) {
            errors.maxLossError = lossError;
            errors.worstLossCase = what + ": loss " + result.loss() + ", expected " + Arrays.toString(expected);
        }
        double aloneError = compareLoss(expected, lossOnly.toDoubleVector(), what + " loss alone", errors);
        if (aloneError > errors.maxLossAloneError) {
            errors.maxLossAloneError = aloneError;
            errors.worstLossAloneCase = what + ": loss " + lossOnly + ", expected " + Arrays.toString(expected);
        }
        INDArray gradNtc = fc.options.layout() == CtcLayout.TNC ? result.gradient().permute(1, 0, 2).dup('c')
                : result.gradient();
        double[] actual = gradNtc.data().asDouble();
        for (int i = 0; i < fc.n; i++) {
            compareGradient(fc, i, actual, what + " sample " + i, errors);
        }
    }

    /** The largest error over finite expected values; non-finite ones must match exactly. */
    private static double compareLoss(double[] expected, double[] actual, String what, Errors errors) {
        if (expected.length != actual.length) {
            errors.fail(what + ": " + actual.length + " values, expected " + expected.length);
            return 0;
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (!Double.isFinite(e)) {
                if (Double.compare(e, a) != 0) errors.fail(what + "[" + i + "]: got " + a + ", expected " + e);
                continue;
            }
            double error = Math.abs(a - e) / Math.max(Math.abs(e), 1.0);
            worst = Double.isNaN(error) ? Double.POSITIVE_INFINITY : Math.max(worst, error);
        }
        return worst;
    }

    private static void compareGradient(FuzzCase fc, int i, double[] actualNtc, String what, Errors errors) {
        double[][] expected = fc.referenceUnitGradient(i);
        double weight = fc.weight(i);
        for (int f = 0; f < fc.t; f++) {
            for (int k = 0; k < fc.c; k++) {
                double a = actualNtc[(i * fc.t + f) * fc.c + k];
                double e = expected[f][k];
                String where = what + " gradient at t=" + f + " c=" + k;
                if (f >= fc.inputLengths[i] || Double.isNaN(e) || e == 0.0 && fc.infeasible(i)) {
                    if (Double.compare(e, a) != 0 && !(e == 0.0 && a == 0.0)) {
                        errors.fail(where + ": got " + a + ", expected " + e);
                        return;
                    }
                    continue;
                }
                double error = Math.abs(a / weight - e);
                if (!(error <= errors.maxGradientError)) {
                    errors.maxGradientError = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error;
                    errors.worstGradientCase = where + ": got " + a / weight + " (unit), expected " + e;
                }
            }
        }
    }
}
