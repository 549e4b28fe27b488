package io.github.dl4jctc.layer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;

import java.io.File;

/**
 * Run in a fresh JVM by {@link CtcSameDiffOutputLayerTest}: restores a network with a {@link CtcSameDiffOutputLayer}
 * (without touching {@code io.github.dl4jctc.ops.Ctc} first), prints its score on a saved minibatch, fits it once and
 * prints the score again. Arguments: model zip, DataSet file.
 */
public final class CtcSameDiffLoadMain {
    private CtcSameDiffLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new File(args[0]), true);
        DataSet data = new DataSet();
        data.load(new File(args[1]));
        System.out.println("score " + net.score(data));
        net.fit(data);
        System.out.println("after fit " + net.score(data));
    }
}
