package io.github.dl4jctc.scaleout.spark;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Which network a ModelSerializer zip holds, read from its {@code configuration.json}. */
enum ModelKind {
    MULTI_LAYER_NETWORK, COMPUTATION_GRAPH;

    /** ModelSerializer's name for the configuration entry. */
    private static final String CONFIGURATION_ENTRY = "configuration.json";

    /**
     * @throws IllegalArgumentException if the bytes are not a zip with a configuration entry, or the configuration is
     *                                  neither kind (a ComputationGraph configuration is the one with "vertices")
     */
    static ModelKind of(byte[] modelZip) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(modelZip))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals(CONFIGURATION_ENTRY)) {
                    JsonNode configuration = new ObjectMapper().readTree(zip.readAllBytes());
                    if (configuration.has("vertices")) {
                        return COMPUTATION_GRAPH;
                    }
                    if (configuration.has("confs")) {
                        return MULTI_LAYER_NETWORK;
                    }
                    throw new IllegalArgumentException("model: its " + CONFIGURATION_ENTRY + " has neither \"confs\""
                            + " (MultiLayerNetwork) nor \"vertices\" (ComputationGraph)");
                }
            }
        }
        throw new IllegalArgumentException("model: not a ModelSerializer zip (no " + CONFIGURATION_ENTRY + " entry)");
    }
}
