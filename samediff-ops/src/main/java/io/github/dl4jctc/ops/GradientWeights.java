package io.github.dl4jctc.ops;

/**
 * How much each sample's gradient counts, and PyTorch's rules for samples without a finite loss: a sample's
 * logits gradient is {@code dense * softmax - posterior * posteriors} on its valid frames (0 past them), its
 * log-probabilities gradient {@code -posterior * posteriors} (NaN where dense is NaN).
 * <ul>
 *   <li>finite loss: both are the sample's reduction weight;</li>
 *   <li>+inf loss zeroed by {@code zeroInfinity}: both 0;</li>
 *   <li>any other non-finite loss: dense NaN, posterior 0.</li>
 * </ul>
 */
final class GradientWeights {
    private final double[] weight;
    private final boolean zeroInfinity;

    GradientWeights(double[] weight, boolean zeroInfinity) {
        this.weight = weight;
        this.zeroInfinity = zeroInfinity;
    }

    /** The weight a finite loss gets. */
    double weight(int n) {
        return weight[n];
    }

    /** Whether sample n's loss (the kernel's) is replaced by 0. */
    boolean zeroed(double loss) {
        return zeroInfinity && loss == Double.POSITIVE_INFINITY;
    }

    /** The factor of sample n's softmax. */
    double dense(int n, double loss) {
        if (zeroed(loss)) {
            return 0.0;
        }
        return Double.isFinite(loss) ? weight[n] : Double.NaN;
    }

    /** The factor of sample n's posteriors. */
    double posterior(int n, double loss) {
        return Double.isFinite(loss) ? weight[n] : 0.0;
    }

    double[] dense(double[] losses) {
        double[] out = new double[losses.length];
        for (int n = 0; n < out.length; n++) out[n] = dense(n, losses[n]);
        return out;
    }

    double[] posterior(double[] losses) {
        double[] out = new double[losses.length];
        for (int n = 0; n < out.length; n++) out[n] = posterior(n, losses[n]);
        return out;
    }
}
