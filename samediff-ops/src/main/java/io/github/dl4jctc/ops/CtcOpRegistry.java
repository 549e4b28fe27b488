package io.github.dl4jctc.ops;

import org.nd4j.imports.converters.ImportClassMapping;

/**
 * Makes the CTC op classes known to ND4J's op lookup by name.
 * <p>
 * SameDiff clones a graph through FlatBuffers before its first gradient computation, and {@code SameDiff.load}
 * reads the same format; both resolve a custom op's class by hash and then by name in
 * {@link ImportClassMapping#getOpNameMapping()}. Our ops are not in ND4J's tables, so they are added there.
 * Loading a saved graph in a fresh JVM needs this to have run: call {@link Ctc#registerOps()} first.
 */
final class CtcOpRegistry {
    private static boolean registered;

    private CtcOpRegistry() {
    }

    static synchronized void register() {
        if (registered) {
            return;
        }
        registered = true;
        ImportClassMapping.getOpNameMapping().put(CtcLossOp.OP_NAME, new CtcLossOp());
        ImportClassMapping.getOpNameMapping().put(CtcLossGradientOp.OP_NAME, new CtcLossGradientOp());
    }
}
