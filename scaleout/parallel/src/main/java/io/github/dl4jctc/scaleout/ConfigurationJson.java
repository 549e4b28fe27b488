package io.github.dl4jctc.scaleout;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The configuration JSON of a network, and the check that it survives a round trip.
 * <p>
 * Scale-out engines rebuild the network from its configuration on every worker: ParallelWrapper from the JSON
 * (workers 1..N-1), ModelSerializer files from the JSON, Spark executors from a serialised copy. A configuration
 * class that Jackson cannot read back (a custom layer or preprocessor without a no-arg constructor, a field without
 * a getter or {@code @JsonProperty}) would fail on the workers, often after the driver has started the job, or
 * worse, silently train a different network.
 */
public final class ConfigurationJson {

    private ConfigurationJson() {
    }

    /**
     * @param network a {@link MultiLayerNetwork} or {@link ComputationGraph}
     * @return its configuration as DL4J's JSON
     * @throws IllegalArgumentException for any other model type
     */
    public static String of(Model network) {
        if (network instanceof MultiLayerNetwork) {
            return ((MultiLayerNetwork) network).getLayerWiseConfigurations().toJson();
        }
        if (network instanceof ComputationGraph) {
            return ((ComputationGraph) network).getConfiguration().toJson();
        }
        throw new IllegalArgumentException("network: got " + describe(network)
                + ", expected a MultiLayerNetwork or a ComputationGraph");
    }

    /**
     * Checks that reading the configuration JSON back gives a configuration whose JSON is the same, i.e. that every
     * worker built from it gets the same network.
     *
     * @param network a {@link MultiLayerNetwork} or {@link ComputationGraph}
     * @throws IllegalArgumentException if the JSON cannot be read back or reads back as another configuration
     */
    public static void requireRoundTrip(Model network) {
        String json = of(network);
        String again;
        try {
            again = network instanceof MultiLayerNetwork
                    ? MultiLayerConfiguration.fromJson(json).toJson()
                    : ComputationGraphConfiguration.fromJson(json).toJson();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("network: its configuration JSON cannot be read back (" + e
                    + "); every worker is built from it, so each custom layer, vertex and preprocessor must be"
                    + " Jackson-serialisable", e);
        }
        if (!again.equals(json)) {
            throw new IllegalArgumentException("network: its configuration JSON reads back as a different"
                    + " configuration, so the workers would train another network; first difference at character "
                    + firstDifference(json, again) + ": \"" + excerpt(json, firstDifference(json, again))
                    + "\" became \"" + excerpt(again, firstDifference(json, again)) + "\"");
        }
    }

    private static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    private static String excerpt(String s, int at) {
        return s.substring(Math.max(0, at - 40), Math.min(s.length(), at + 40));
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }
}
