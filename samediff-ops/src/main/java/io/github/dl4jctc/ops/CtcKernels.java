package io.github.dl4jctc.ops;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Chooses the kernel by backend: the Java {@link JavaCtcKernel} on the CPU backend, libnd4j's kernel through
 * ND4J ops elsewhere (CUDA), so that a GPU run never reads device memory from Java. The system property
 * {@code dl4jctc.kernel} ({@code java} or {@code libnd4j}) overrides the choice, for comparisons.
 */
final class CtcKernels {
    static final String PROPERTY = "dl4jctc.kernel";

    private CtcKernels() {
    }

    static CtcKernel forCurrentBackend() {
        String forced = System.getProperty(PROPERTY);
        if ("libnd4j".equals(forced)) {
            return LibNd4jCtcKernel.INSTANCE;
        }
        if ("java".equals(forced) || Nd4j.getEnvironment().isCPU()) {
            return JavaCtcKernel.INSTANCE;
        }
        return LibNd4jCtcKernel.INSTANCE;
    }
}
