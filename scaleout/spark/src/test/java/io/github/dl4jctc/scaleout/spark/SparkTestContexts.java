package io.github.dl4jctc.scaleout.spark;

import org.apache.spark.SparkConf;

/** Spark configurations for tests: local mode, no UI, loopback only, and the Kryo set-up of a real job. */
final class SparkTestContexts {
    private SparkTestContexts() {
    }

    /** Two executor threads in this JVM. */
    static SparkConf local2(String appName) {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        return SparkCtcTraining.withNd4jKryo(conf);
    }
}
