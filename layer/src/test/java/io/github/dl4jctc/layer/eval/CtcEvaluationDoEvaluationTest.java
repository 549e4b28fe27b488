package io.github.dl4jctc.layer.eval;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import io.github.dl4jctc.layer.CtcVocabulary;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs CtcEvaluation through DL4J's own doEvaluation loop. CtcOutputLayer is not used here: a parameter-free
 * RnnLossLayer with identity activation stands in for it, passing through per-frame probabilities whose masked
 * frames are already 0 (the output contract CtcEvaluation relies on). This checks what DL4J hands to
 * {@code IEvaluation.eval}: labels {@code [N, S]} untouched, the labels mask, and no features mask.
 */
class CtcEvaluationDoEvaluationTest {

    private static final CtcVocabulary VOCAB = CtcEvaluationTest.VOCAB;   // 0 blank, 1 a, 2 b, 3 space

    /** Two minibatches with different T and S; three of the four sequences decode exactly. */
    private static List<DataSet> minibatches() {
        CtcVocabulary.LabelBatch firstLabels = VOCAB.toLabels(List.of("ab", "b a"), DataType.FLOAT);
        INDArray firstFeatures = CtcEvaluationTest.outputFor(new int[][]{
                {1, 0, 2, -1, -1},
                {2, 3, 3, 0, 1},
        }, 4);
        INDArray firstMask = Nd4j.createFromArray(new float[][]{{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}});
        CtcVocabulary.LabelBatch secondLabels = VOCAB.toLabels(List.of("aa", "b"), DataType.FLOAT);
        INDArray secondFeatures = CtcEvaluationTest.outputFor(new int[][]{
                {1, 1, 1},      // decodes to "a": one deletion
                {2, -1, -1},
        }, 4);
        INDArray secondMask = Nd4j.createFromArray(new float[][]{{1, 1, 1}, {1, 0, 0}});
        return List.of(
                new DataSet(firstFeatures, firstLabels.labels(), firstMask, firstLabels.mask()),
                new DataSet(secondFeatures, secondLabels.labels(), secondMask, secondLabels.mask()));
    }

    private static RnnLossLayer passThrough() {
        return new RnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build();
    }

    private static void assertCounts(CtcEvaluation eval) {
        assertEquals(4, eval.sequences());
        assertEquals(3, eval.exactMatches());
        assertEquals(1, eval.characterEdits());
        assertEquals(2 + 3 + 2 + 1, eval.referenceCharacters());
        assertEquals(1, eval.wordEdits());
        assertEquals(1 + 2 + 1 + 1, eval.referenceWords());
    }

    @Test
    void multiLayerNetworkDoEvaluation() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(passThrough())
                .setInputType(InputType.recurrent(4))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        CtcEvaluation eval = net.doEvaluation(new ListDataSetIterator<>(minibatches(), 1), new CtcEvaluation(VOCAB))[0];
        assertCounts(eval);
    }

    @Test
    void computationGraphDoEvaluation() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("out", passThrough(), "in")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(4))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        CtcEvaluation eval = graph.doEvaluation(new ListDataSetIterator<>(minibatches(), 1),
                new CtcEvaluation(VOCAB))[0];
        assertCounts(eval);
    }
}
