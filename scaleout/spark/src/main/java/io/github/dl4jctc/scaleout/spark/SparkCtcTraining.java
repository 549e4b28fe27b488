package io.github.dl4jctc.scaleout.spark;

import io.github.dl4jctc.scaleout.ConfigurationJson;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.SerializerInstance;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;

/**
 * Sets up dl4j-spark parameter averaging for a {@code CtcOutputLayer} network (or any {@link MultiLayerNetwork} /
 * {@link ComputationGraph}), after checking on the driver that its configuration survives the trip to the
 * executors.
 * <p>
 * How dl4j-spark's {@link ParameterAveragingTrainingMaster} trains: the driver broadcasts the configuration object,
 * the parameters and the updater state (serialised with Spark's serializer, Kryo or Java); each executor task
 * builds its own network from them, trains it on {@code averagingFrequency} minibatches of
 * {@code batchSizePerWorker} examples, and the driver averages the results and starts the next round.
 * <p>
 * The data: an {@code RDD<DataSet>} whose DataSets hold {@code batchSizePerWorker} examples each, or (better for
 * large corpora) files of such DataSets on storage every executor can read ({@code hdfs://}, {@code s3a://}, a shared
 * mount) given to {@code fitPaths}. A worker merges or splits DataSets of another size with {@code DataSet.merge},
 * which pads time series but not 2-D labels: CTC labels must then be {@code [N, 1, S]} (see {@code CtcOutputLayer}).
 *
 * <pre>{@code
 * SparkCtcTraining training = new SparkCtcTraining.Builder(32).averagingFrequency(5).build();
 * SparkDl4jMultiLayer sparkNet = training.multiLayer(sc, network);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     sparkNet.fitPaths(paths);
 * }
 * }</pre>
 */
public final class SparkCtcTraining {

    /** The Spark settings dl4j-spark recommends: Kryo with ND4J's registrator (off-heap INDArrays). */
    public static final String KRYO_SERIALIZER = "org.apache.spark.serializer.KryoSerializer";
    public static final String ND4J_KRYO_REGISTRATOR = "org.nd4j.kryo.Nd4jRegistrator";

    private final int batchSizePerWorker;
    private final int averagingFrequency;
    private final int workerPrefetchBatches;
    private final Integer numWorkers;
    private final RDDTrainingApproach rddTrainingApproach;

    private SparkCtcTraining(Builder builder) {
        this.batchSizePerWorker = builder.batchSizePerWorker;
        this.averagingFrequency = builder.averagingFrequency;
        this.workerPrefetchBatches = builder.workerPrefetchBatches;
        this.numWorkers = builder.numWorkers;
        this.rddTrainingApproach = builder.rddTrainingApproach;
    }

    /**
     * Sets Kryo with ND4J's registrator unless the configuration already chose a serializer.
     *
     * @return {@code conf}
     */
    public static SparkConf withNd4jKryo(SparkConf conf) {
        conf.setIfMissing("spark.serializer", KRYO_SERIALIZER);
        if (KRYO_SERIALIZER.equals(conf.get("spark.serializer"))) {
            conf.setIfMissing("spark.kryo.registrator", ND4J_KRYO_REGISTRATOR);
        }
        return conf;
    }

    /**
     * A {@link SparkDl4jMultiLayer} training {@code network} (its parameters and updater state) by averaging. The
     * network's parameter array is marked not closeable, see {@link #keepParametersOpen}.
     */
    public SparkDl4jMultiLayer multiLayer(JavaSparkContext sc, MultiLayerNetwork network) {
        requireSurvivesTheTrip(sc, network);
        keepParametersOpen(network);
        return new SparkDl4jMultiLayer(sc, network, trainingMaster());
    }

    /**
     * A {@link SparkComputationGraph} training {@code network} (its parameters and updater state) by averaging. The
     * network's parameter array is marked not closeable, see {@link #keepParametersOpen}.
     */
    public SparkComputationGraph graph(JavaSparkContext sc, ComputationGraph network) {
        requireSurvivesTheTrip(sc, network);
        keepParametersOpen(network);
        return new SparkComputationGraph(sc, network, trainingMaster());
    }

    /**
     * Marks the network's parameter array not closeable ({@code INDArray.setCloseable(false)}), so that Spark cannot
     * free it.
     * <p>
     * Why: dl4j-spark 1.0.0-M2's {@code calculateScore} (also {@code scoreExamples} and {@code feedForwardWithKey})
     * broadcasts the network's live parameter array, {@code sc.broadcast(network.params())}. Spark 3.5's block
     * manager keeps that very object on the driver ({@code TorrentBroadcast.writeBlocks}) and closes values that are
     * {@link AutoCloseable} when it drops them ({@code MemoryStore}), which the ContextCleaner does once the broadcast
     * has been garbage collected. An INDArray is AutoCloseable: some time after a score, the parameters are freed
     * under the network and the next fit fails with {@code IllegalStateException: Op.Z argument was closed before
     * call} (reproduced in local mode by {@code SparkCtcTrainingTest}; the driver side is the same on a cluster). Training broadcasts a tuple and
     * evaluation a byte array copy, which Spark does not close. A parameter array that is not closeable is still
     * freed by ND4J's garbage-collection-driven deallocator once the network is gone.
     */
    public static void keepParametersOpen(Model network) {
        ConfigurationJson.of(network); // the model type check
        network.params().setCloseable(false);
    }

    /**
     * Checks on the driver what the executors will do with the network's configuration: its JSON must read back as
     * the same configuration ({@link ConfigurationJson#requireRoundTrip}), and the configuration object must come
     * back from the context's serializer (Kryo or Java, as for the broadcast) with the same JSON.
     *
     * @throws IllegalArgumentException if either fails, naming the reason
     */
    public static void requireSurvivesTheTrip(JavaSparkContext sc, Model network) {
        if (sc == null) {
            throw new IllegalArgumentException("sc: got null, expected a JavaSparkContext");
        }
        ConfigurationJson.requireRoundTrip(network);
        Object configuration = network instanceof MultiLayerNetwork
                ? ((MultiLayerNetwork) network).getLayerWiseConfigurations()
                : ((ComputationGraph) network).getConfiguration();
        Object back;
        try {
            SerializerInstance serializer = sc.env().serializer().newInstance();
            ByteBuffer bytes = serializer.serialize(configuration, ClassTag$.MODULE$.apply(Object.class));
            back = serializer.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("network: its configuration cannot be serialised with "
                    + sc.getConf().get("spark.serializer", "Spark's default serializer") + " (" + e
                    + "), which is how it reaches the executors", e);
        }
        String json = ConfigurationJson.of(network);
        String backJson = back instanceof MultiLayerConfiguration
                ? ((MultiLayerConfiguration) back).toJson()
                : ((ComputationGraphConfiguration) back).toJson();
        if (!json.equals(backJson)) {
            throw new IllegalArgumentException("network: its configuration comes back from "
                    + sc.getConf().get("spark.serializer", "Spark's default serializer")
                    + " as a different configuration, so the executors would train another network");
        }
    }

    /** The training master these settings describe. */
    public ParameterAveragingTrainingMaster trainingMaster() {
        return new ParameterAveragingTrainingMaster.Builder(numWorkers, batchSizePerWorker)
                .batchSizePerWorker(batchSizePerWorker)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(workerPrefetchBatches)
                .rddTrainingApproach(rddTrainingApproach)
                .saveUpdater(true)
                .build();
    }

    @Override
    public String toString() {
        return "SparkCtcTraining(batchSizePerWorker=" + batchSizePerWorker + ", averagingFrequency="
                + averagingFrequency + ", workerPrefetchBatches=" + workerPrefetchBatches + ", numWorkers="
                + (numWorkers == null ? "defaultParallelism" : numWorkers) + ", rddTrainingApproach="
                + rddTrainingApproach + ")";
    }

    /** Builder of {@link SparkCtcTraining}. */
    public static final class Builder {
        private final int batchSizePerWorker;
        private int averagingFrequency = 5;
        private int workerPrefetchBatches = 2;
        private Integer numWorkers;
        private RDDTrainingApproach rddTrainingApproach = RDDTrainingApproach.Export;

        /**
         * @param batchSizePerWorker examples per minibatch on each worker; also the number of examples in each
         *                           DataSet of the training RDD or file (dl4j-spark splits or merges others)
         */
        public Builder(int batchSizePerWorker) {
            if (batchSizePerWorker < 1) {
                throw new IllegalArgumentException("batchSizePerWorker: got " + batchSizePerWorker
                        + ", expected at least 1");
            }
            this.batchSizePerWorker = batchSizePerWorker;
        }

        /**
         * Minibatches each worker trains between two averagings (default 5). Each averaging sends the parameters and
         * updater state to the driver and back, so 1 spends most of the time on the network; much more than 20
         * lets the workers drift apart.
         */
        public Builder averagingFrequency(int averagingFrequency) {
            if (averagingFrequency < 1) {
                throw new IllegalArgumentException("averagingFrequency: got " + averagingFrequency
                        + ", expected at least 1");
            }
            this.averagingFrequency = averagingFrequency;
            return this;
        }

        /** Minibatches each worker loads ahead in a background thread (default 2; 0: none). */
        public Builder workerPrefetchBatches(int workerPrefetchBatches) {
            if (workerPrefetchBatches < 0) {
                throw new IllegalArgumentException("workerPrefetchBatches: got " + workerPrefetchBatches
                        + ", expected >= 0");
            }
            this.workerPrefetchBatches = workerPrefetchBatches;
            return this;
        }

        /**
         * Training tasks run at once (executors x cores per executor); by default the context's
         * {@code defaultParallelism}.
         */
        public Builder numWorkers(int numWorkers) {
            if (numWorkers < 1) {
                throw new IllegalArgumentException("numWorkers: got " + numWorkers + ", expected at least 1");
            }
            this.numWorkers = numWorkers;
            return this;
        }

        /**
         * How {@code fit(RDD<DataSet>)} hands the RDD to the workers (default {@link RDDTrainingApproach#Export}, which
         * does not concern {@code fitPaths}). Export first writes the RDD as minibatch files under the Hadoop
         * {@code hadoop.tmp.dir} (on the default file system, so on a cluster it needs HDFS or S3 as
         * {@code fs.defaultFS}: dl4j-spark refuses a local default file system outside local mode); Direct trains
         * from the RDD partitions as they are, for small in-memory RDDs.
         */
        public Builder rddTrainingApproach(RDDTrainingApproach rddTrainingApproach) {
            if (rddTrainingApproach == null) {
                throw new IllegalArgumentException("rddTrainingApproach: got null, expected Export or Direct");
            }
            this.rddTrainingApproach = rddTrainingApproach;
            return this;
        }

        public SparkCtcTraining build() {
            return new SparkCtcTraining(this);
        }
    }
}
