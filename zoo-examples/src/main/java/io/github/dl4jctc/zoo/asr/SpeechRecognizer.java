package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.decode.CtcDecoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/** Transcribes audio with a trained {@link SpeechModel}. */
public final class SpeechRecognizer {

    private final MultiLayerNetwork network;
    private final CtcVocabulary vocabulary;
    private final SpeechFeatures features;

    public SpeechRecognizer(MultiLayerNetwork network, CtcVocabulary vocabulary, SpeechFeatures features) {
        this.network = network;
        this.vocabulary = vocabulary;
        this.features = features;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public CtcVocabulary vocabulary() {
        return vocabulary;
    }

    public SpeechFeatures features() {
        return features;
    }

    /**
     * Transcribes feature sequences {@code batchSize} at a time (grouped by length).
     *
     * @param progress told how many samples are done after each batch
     * @return one text per sample, in the order given
     */
    public List<String> transcribe(List<SpeechSample> samples, CtcDecoder decoder, int batchSize,
                                   IntConsumer progress) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> samples.get(i).steps()));
        String[] texts = new String[samples.size()];
        for (int start = 0; start < order.size(); start += batchSize) {
            List<Integer> batch = order.subList(start, Math.min(order.size(), start + batchSize));
            List<SpeechSample> batchSamples = new ArrayList<>();
            for (int i : batch) {
                batchSamples.add(samples.get(i));
            }
            INDArray mask = AsrBatches.featuresMask(batchSamples);
            INDArray probabilities = network.output(AsrBatches.features(batchSamples), false, mask, null);
            List<String> decoded = decoder.decodeText(probabilities, mask, vocabulary);
            for (int k = 0; k < batch.size(); k++) {
                texts[batch.get(k)] = decoded.get(k);
            }
            progress.accept(start + batch.size());
        }
        return List.of(texts);
    }

    /**
     * Transcribes audio at {@link SpeechFeatures#sampleRate()} Hz.
     *
     * @return one text per recording
     */
    public List<String> transcribeAudio(List<float[]> recordings, CtcDecoder decoder) {
        List<SpeechSample> samples = new ArrayList<>();
        for (float[] audio : recordings) {
            samples.add(new SpeechSample("", features.compute(audio)));
        }
        return transcribe(samples, decoder, 16, done -> { });
    }
}
