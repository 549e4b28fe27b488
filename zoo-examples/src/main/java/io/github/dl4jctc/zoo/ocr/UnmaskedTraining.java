package io.github.dl4jctc.zoo.ocr;

import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * Drops the features mask of OCR training minibatches, so that every column of the padded images counts as a
 * frame: the padding is the line's own paper colour ({@link OcrBatches#images}), and CTC reads it as a few more
 * blank frames after the text. The labels mask (target lengths) stays.
 * <p>
 * Why: DL4J 1.0.0-M2.1's {@code Bidirectional} LSTM computes wrong gradients when a minibatch's lengths differ.
 * Its backward direction runs on the whole sequence reversed, so a sample's padding comes first; the forward pass
 * honours the mask, but {@code LSTM.backpropGradient} passes no mask to {@code LSTMHelpers}, so gradient flows
 * through the padding steps. Measured against finite differences in float64 (T = 6, lengths 6, 3, 1, 5): the
 * backward direction's input weights off by a relative 73, its bias by 3.6, the input gradient non-zero on padding
 * columns (0.65); exact (1e-16) when all lengths are equal. Without a mask every sample has the full length, and
 * the gradients are exact. Inference ({@link OcrRecognizer}) keeps the mask: DL4J's forward pass is right.
 */
public final class UnmaskedTraining implements DataSetPreProcessor {
    private static final long serialVersionUID = 1L;

    @Override
    public void preProcess(DataSet dataSet) {
        dataSet.setFeaturesMaskArray(null);
    }
}
