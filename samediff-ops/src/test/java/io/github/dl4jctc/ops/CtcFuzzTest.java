package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both kernels against the float64 reference on random calls that reach the corners (see {@link FuzzCase}), loss
 * and gradient, a bounded count with fixed seeds for CI; {@code bench.CtcFuzz} runs the long version.
 */
class CtcFuzzTest {
    private static final int CASES = 300;
    private static final double TOLERANCE = 1e-9;

    @Test
    void javaKernelMatchesTheReferenceOnRandomCalls() {
        CtcFuzzer.Report report = CtcFuzzer.run(20270101L, CASES, CtcFuzzer.Kernel.JAVA);
        assertMatches(report);
    }

    /**
     * Fails on the CPU kernel as of 33a64a2: without the gradient its scaled forward recursion flushes states more
     * than ~1e308 below a frame's best to 0 without noticing, which on peaky scores (scale 50, T in the hundreds,
     * or scale 150) gives losses off by up to ~20%. With the gradient the backward pass happens to notice and the
     * sample goes to libnd4j. Enable once the kernel detects the flush.
     */
    @Test
    @Disabled("ScaledCtcKernel loss-only path loses precision on peaky scores; see the reliability report")
    void javaKernelLossAloneMatchesTheReferenceOnRandomCalls() {
        CtcFuzzer.Report report = CtcFuzzer.run(20270101L, CASES, CtcFuzzer.Kernel.JAVA);
        assertTrue(report.maxLossAloneRelativeError <= TOLERANCE, report + "\nworst: " + report.worstLossAloneCase);
    }

    @Test
    void libnd4jKernelMatchesTheReferenceOnRandomCalls() {
        CtcFuzzer.Report report = CtcFuzzer.run(20270102L, CASES, CtcFuzzer.Kernel.LIBND4J);
        assertMatches(report);
        assertTrue(report.maxLossAloneRelativeError <= TOLERANCE, report + "\nworst: " + report.worstLossAloneCase);
    }

    private static void assertMatches(CtcFuzzer.Report report) {
        System.out.println(report);
        assertTrue(report.failures.isEmpty(), String.join("\n", report.failures));
        assertTrue(report.maxLossRelativeError <= TOLERANCE, report + "\nworst: " + report.worstLossCase);
        assertTrue(report.maxGradientError <= TOLERANCE, report + "\nworst: " + report.worstGradientCase);
        // the draw must have reached the corners it is meant to reach
        assertTrue(report.infeasibleSamples > 50 && report.emptyTargets > 50 && report.emptyInputs > 20
                && report.peakySamples > 100 && report.logitCases > CASES / 3, report.toString());
    }
}
