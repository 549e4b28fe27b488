package io.github.dl4jctc.zoo.util;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelZipTest {
    private record Info(String name, int size) implements java.io.Serializable {
    }

    @TempDir
    Path dir;

    @Test
    void readsBackTheNetworkAndItsInfo() {
        MultiLayerNetwork net = network();
        Path file = dir.resolve("sub/model.zip");
        ModelZip.write(net, "key", new Info("x", 3), file);

        ModelZip.Contents<Info> back = ModelZip.read(file, "key", Info.class, "a test model", "test train");

        assertEquals(new Info("x", 3), back.info());
        assertEquals(net.params(), back.network().params());
    }

    @Test
    void aMissingFileSaysWhichCommandWritesOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ModelZip.read(dir.resolve("none.zip"), "key", Info.class, "a test model", "test train"));
        assertTrue(e.getMessage().contains("expected an existing model file (train one first with 'test train'"), e.getMessage());
    }

    @Test
    void aNetworkWithoutTheInfoIsNotAModelOfThisProject() throws Exception {
        Path file = dir.resolve("plain.zip");
        ModelSerializer.writeModel(network(), file.toFile(), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ModelZip.read(file, "key", Info.class, "a test model", "test train"));
        assertTrue(e.getMessage().contains("expected a test model of this project"), e.getMessage());
    }

    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(3).nOut(2).build())
                .build());
        net.init();
        return net;
    }
}
