package io.github.dl4jctc.zoo.util;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Lets DL4J's convolution, batch normalisation and pooling layers run through ND4J's native operations (oneDNN
 * where the native library is a {@code -onednn} build, as zoo-examples uses) instead of DL4J's Java-side im2col.
 *
 * <p>Two things stand in the way in DL4J 1.0.0-M2.1: layer helpers are off unless the system property
 * {@value #DISABLE_PROPERTY} is {@code false}, and the check that the backend supports them looks for a class ND4J
 * M2.1 does not have (see {@link org.nd4j.nativeblas.Nd4jCpu}). With the helpers on, the OCR network's convolutions
 * run natively (through oneDNN on the {@code linux-x86_64-onednn} library), several times faster than DL4J's
 * Java-side im2col (docs/benchmarks.md).
 */
public final class OneDnnHelpers {

    /** DL4J's switch ({@code DL4JSystemProperties.DISABLE_HELPER_PROPERTY}); its default in M2.1 is "true". */
    public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnnHelpers() {
    }

    /**
     * Allows layer helpers in this JVM. Layers pick their helper when the network is initialised, so call this
     * before {@code MultiLayerNetwork.init()} or before restoring a network.
     */
    public static void enable() {
        System.setProperty(DISABLE_PROPERTY, "false");
    }

    /** @return how many of {@code network}'s layers run through a helper */
    public static int layersWithHelpers(MultiLayerNetwork network) {
        int count = 0;
        for (Layer layer : network.getLayers()) {
            if (layer.getHelper() != null) {
                count++;
            }
        }
        return count;
    }
}
