package io.github.dl4jctc.ops.bench;

import io.github.dl4jctc.ops.CtcFuzzer;

import java.util.Locale;

/**
 * The long fuzz run: {@code cases} random CTC calls (default 10,000) through each kernel, every loss and gradient
 * entry compared with the float64 reference (see {@code CtcFuzzer} for the error measures). Prints the counts, the
 * largest errors and the worst cases; exits with status 1 if anything failed or an error exceeds 1e-9.
 * <p>
 * Run: {@code mvn -q -pl samediff-ops test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.dl4jctc.ops.bench.CtcFuzz -Dexec.args="10000 1"} (cases, seed).
 */
public final class CtcFuzz {
    private CtcFuzz() {
    }

    public static void main(String[] args) {
        int cases = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1L;
        boolean ok = true;
        for (CtcFuzzer.Kernel kernel : CtcFuzzer.Kernel.values()) {
            long start = System.nanoTime();
            CtcFuzzer.Report report = CtcFuzzer.run(seed, cases, kernel);
            System.out.println(report);
            System.out.printf(Locale.ROOT, "        %.1f s%n        worst loss:       %s%n        worst loss alone: %s%n        worst gradient:   %s%n",
                    (System.nanoTime() - start) / 1e9, report.worstLossCase, report.worstLossAloneCase,
                    report.worstGradientCase);
            report.failures.forEach(f -> System.out.println("        FAILED " + f));
            ok &= report.failures.isEmpty() && report.maxLossRelativeError <= 1e-9 && report.maxLossAloneRelativeError <= 1e-9
                    && report.maxGradientError <= 1e-9;
        }
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }
}
