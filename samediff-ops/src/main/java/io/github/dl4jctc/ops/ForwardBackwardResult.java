package io.github.dl4jctc.ops;

/** What one sample's forward-backward found. */
final class ForwardBackwardResult {
    /** log p(target | x); -inf when no alignment has non-zero probability. */
    final double logLikelihood;
    /** Posteriors {@code [frames][slots]}, or null if not asked for or -inf. */
    final double[] gamma;

    ForwardBackwardResult(double logLikelihood, double[] gamma) {
        this.logLikelihood = logLikelihood;
        this.gamma = gamma;
    }
}
