package org.nd4j.nativeblas;

/**
 * Not ND4J's class: a stand-in that lets DL4J 1.0.0-M2.1 find out whether ND4J's native library uses oneDNN.
 *
 * <p>DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} asks {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by
 * reflection, but in ND4J 1.0.0-M2.1 that class lives in {@code org.nd4j.linalg.cpu.nativecpu.bindings}: the lookup
 * fails, and DL4J silently falls back to its Java-side convolution, batch normalisation and pooling even on a
 * oneDNN build. This class answers with the real environment's {@code isUseONEDNN()}. Nothing else in DL4J or ND4J
 * M2.1 refers to this name (checked in their jars).
 *
 * <p>It lives in the artifact {@code dl4j-ctc-m21-onednn-probe}, which only zoo-examples depends on: a class in
 * ND4J's package reaches an application (or a Spark job's {@code --jars}) only when that artifact is added on
 * purpose. Drop it with DL4J versions whose helper check finds ND4J's own class. Used by the examples'
 * {@code io.github.dl4jctc.zoo.util.OneDnnHelpers}.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** What {@code BaseMKLDNNHelper} calls: {@code getInstance().isUseMKLDNN()}. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();
        private static final String CPU_ENVIRONMENT = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
        private static volatile Boolean useOneDnn;

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * @return whether ND4J's native operations may use oneDNN (the CPU environment's {@code isUseONEDNN()});
         *         false on other backends (CUDA), whose jars lack the CPU environment class
         */
        public boolean isUseMKLDNN() {
            // By reflection: a compile-time reference would tie zoo-examples to nd4j-native, and the cuda profile
            // builds it against nd4j-cuda only.
            Boolean answer = useOneDnn;
            if (answer == null) {   // asked on every layer call: found out once
                answer = askCpuEnvironment();
                useOneDnn = answer;
            }
            return answer;
        }

        private static boolean askCpuEnvironment() {
            try {
                Class<?> cpu = Class.forName(CPU_ENVIRONMENT);
                Object environment = cpu.getMethod("getInstance").invoke(null);
                return (Boolean) cpu.getMethod("isUseONEDNN").invoke(environment);
            } catch (ClassNotFoundException e) {
                return false;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot ask " + CPU_ENVIRONMENT + " whether oneDNN is in use", e);
            }
        }
    }
}
