package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the per-frame class probabilities of a CTC output layer into the most likely labelling per sample.
 *
 * <p>Input: {@code probabilities} {@code [N, C, T]} ({@link RNNFormat#NCW}) or {@code [N, T, C]}
 * ({@link RNNFormat#NWC}), softmax output (non-negative; each frame is normalised by the layer), and an optional
 * features mask {@code [N, T]} of 1s followed by 0s: sample n is decoded over its first {@code sum(mask[n])} frames;
 * a null mask means all T frames.
 *
 * <p>Implementations are serialisable (Java and DL4J's Jackson mapper), so they can live inside an evaluation.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
public interface CtcDecoder extends Serializable {

    /**
     * @param probabilities {@code [N, C, T]} or {@code [N, T, C]} per {@link #format()}
     * @param featuresMask  {@code [N, T]} prefix mask, or null for all frames
     * @return N hypotheses, the best labelling of each sample
     * @throws IllegalArgumentException on wrong ranks, shapes, mask values or negative probabilities
     */
    List<CtcHypothesis> decode(INDArray probabilities, INDArray featuresMask);

    /** @return the class index of the CTC blank */
    int blankIndex();

    /** @return the layout of {@code probabilities}: NCW = {@code [N, C, T]}, NWC = {@code [N, T, C]} */
    RNNFormat format();

    /**
     * {@link #decode} followed by {@link CtcVocabulary#decode}.
     *
     * @throws IllegalArgumentException also if the vocabulary's blank index differs from {@link #blankIndex()} or
     *                                  its size from the number of classes C
     */
    default List<String> decodeText(INDArray probabilities, INDArray featuresMask, CtcVocabulary vocabulary) {
        if (vocabulary == null) {
            throw new IllegalArgumentException("vocabulary: got null, expected the CtcVocabulary of the output layer");
        }
        if (vocabulary.blankIndex() != blankIndex()) {
            throw new IllegalArgumentException("vocabulary: got blankIndex " + vocabulary.blankIndex()
                    + ", expected the decoder's blank index " + blankIndex());
        }
        if (probabilities != null && probabilities.rank() == 3) {
            long classes = probabilities.size(format() == RNNFormat.NCW ? 1 : 2);
            if (classes != vocabulary.size()) {
                throw new IllegalArgumentException("probabilities: got C = " + classes + " (" + format()
                        + "), expected C = vocabulary.size() = " + vocabulary.size() + " classes");
            }
        }
        List<String> texts = new ArrayList<>();
        for (CtcHypothesis hypothesis : decode(probabilities, featuresMask)) {
            texts.add(vocabulary.decode(hypothesis.labels()));
        }
        return texts;
    }
}
