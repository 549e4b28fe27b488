package io.github.dl4jctc.layer;

import io.github.dl4jctc.ops.CtcReduction;
import org.deeplearning4j.nn.conf.RNNFormat;

/**
 * The CTC settings shared by the configurations of {@link CtcOutputLayer} and {@link CtcLossLayer}: what a tool
 * working on either (the pre-flight data check, a decoder set-up) needs to know about the layer.
 */
public interface CtcLayerSettings {

    /** Index of the blank class. */
    int getBlankIndex();

    /** How the per-example losses become the score: MEAN or SUM. */
    CtcReduction getReduction();

    /** Whether an example that cannot be aligned scores 0 (with zero gradient) instead of +inf. */
    boolean isZeroInfinity();

    /** The layout of the layer's input and output activations (NCW when not configured). */
    RNNFormat getRnnDataFormat();
}
