package io.github.dl4jctc.ops.bench;

import io.github.dl4jctc.ops.CtcFuzzer;

import java.util.Locale;

/**
 * The long fuzz run: {@code cases} random CTC calls (default 10,000) through each kernel, every loss and gradient
 * entry compared with the float64 reference (see {@code CtcFuzzer} for the error measures), with the figures for
 * score scales up to 50 and for scale 150 apart. Prints the counts, the largest errors and the worst cases; exits
 * with status 1 if any figure exceeds 1e-9 or anything failed.
 * <p>
 * Run: {@code mvn -q -pl samediff-ops test-compile org.codehaus.mojo:exec-maven-plugin:3.1.1:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.github.dl4jctc.ops.bench.CtcFuzz -Dexec.args="10000 1"}
 * (cases, seed).
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
            System.out.printf(Locale.ROOT, "%s%n  (%.1f s)%n  scale <= 50:%n%s  scale 150:%n%s", report,
                    (System.nanoTime() - start) / 1e9, report.spec.details(), report.extreme.details());
            ok &= report.spec.within(1e-9, true) && report.extreme.within(1e-9, true);
        }
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }
}
