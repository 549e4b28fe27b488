package io.github.dl4jctc.ops.bench;

import io.github.dl4jctc.ops.Ctc;
import io.github.dl4jctc.ops.CtcLayout;
import io.github.dl4jctc.ops.CtcOptions;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * The op alone under a soak: {@code calls} (default 200,000) calls of {@link Ctc#lossAndGradientFromLogits} and
 * {@link Ctc#lossFromLogits} on a fixed minibatch (N = 8, T = 24, C = 8, ragged lengths), with the JVM heap in use,
 * the process's resident memory and the part of it outside the JVM's pools (where ND4J's buffers live) printed ten
 * times along the way after full GCs. Tells the op's own memory behaviour from a network's (the layer's soak run,
 * {@code io.github.dl4jctc.layer.bench.CtcSoak}, includes DL4J's).
 * <p>
 * Run: {@code OMP_NUM_THREADS=1 mvn -q -pl samediff-ops test-compile org.codehaus.mojo:exec-maven-plugin:3.1.1:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.github.dl4jctc.ops.bench.CtcOpSoak -Dexec.args=200000}.
 */
public final class CtcOpSoak {
    private CtcOpSoak() {
    }

    public static void main(String[] args) throws InterruptedException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Nd4j.getRandom().setSeed(1);
        INDArray logits = Nd4j.randn(DataType.FLOAT, 8, 24, 8);
        int[][] targets = new int[8][];
        for (int n = 0; n < 8; n++) targets[n] = new int[]{1, 2, 3, 4};
        INDArray tg = Nd4j.createFromArray(targets);
        INDArray il = Nd4j.createFromArray(24, 20, 18, 24, 24, 22, 21, 24);
        INDArray tl = Nd4j.createFromArray(4, 3, 2, 4, 4, 1, 2, 3);
        CtcOptions options = CtcOptions.builder().layout(CtcLayout.NTC).build();
        System.out.println("| calls | heap in use MB | RSS MB | RSS outside the JVM's pools MB |");
        System.out.println("|---|---|---|---|");
        for (int i = 1; i <= calls; i++) {
            Ctc.lossAndGradientFromLogits(logits, tg, il, tl, options);
            Ctc.lossFromLogits(logits, tg, il, tl, options);
            if (i % Math.max(1, calls / 10) == 0) {
                for (int k = 0; k < 5; k++) {
                    System.gc();
                    Thread.sleep(300);   // ND4J's deallocator threads free the native side of what the GC found
                }
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                long committed = memory.getHeapMemoryUsage().getCommitted()
                        + memory.getNonHeapMemoryUsage().getCommitted();
                double mb = 1 << 20;
                System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f |%n", i,
                        memory.getHeapMemoryUsage().getUsed() / mb, Pointer.physicalBytes() / mb,
                        (Pointer.physicalBytes() - committed) / mb);
            }
        }
    }
}
