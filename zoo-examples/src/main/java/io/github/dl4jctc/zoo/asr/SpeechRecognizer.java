package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.decode.CtcDecoder;
import io.github.dl4jctc.layer.decode.CtcHypothesis;
import io.github.dl4jctc.layer.decode.WordSpan;
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
        List<String> texts = new ArrayList<>();
        for (CtcHypothesis hypothesis : decode(samples, List.of(decoder), batchSize, progress).get(0)) {
            texts.add(vocabulary.decode(hypothesis.labels()));
        }
        return texts;
    }

    /**
     * Runs the network once per batch of {@code batchSize} samples (grouped by length) and decodes its output with
     * each decoder.
     *
     * @param progress told how many samples are done after each batch
     * @return per decoder (in the order given) one hypothesis per sample (in the order given), with token spans
     */
    public List<List<CtcHypothesis>> decode(List<SpeechSample> samples, List<? extends CtcDecoder> decoders,
                                            int batchSize, IntConsumer progress) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> samples.get(i).steps()));
        CtcHypothesis[][] hypotheses = new CtcHypothesis[decoders.size()][samples.size()];
        for (int start = 0; start < order.size(); start += batchSize) {
            List<Integer> batch = order.subList(start, Math.min(order.size(), start + batchSize));
            List<SpeechSample> batchSamples = new ArrayList<>();
            for (int i : batch) {
                batchSamples.add(samples.get(i));
            }
            INDArray mask = AsrBatches.featuresMask(batchSamples);
            INDArray probabilities = network.output(AsrBatches.features(batchSamples), false, mask, null);
            for (int d = 0; d < decoders.size(); d++) {
                List<CtcHypothesis> decoded = decoders.get(d).decode(probabilities, mask);
                for (int k = 0; k < batch.size(); k++) {
                    hypotheses[d][batch.get(k)] = decoded.get(k);
                }
            }
            progress.accept(start + batch.size());
        }
        List<List<CtcHypothesis>> result = new ArrayList<>();
        for (CtcHypothesis[] perDecoder : hypotheses) {
            result.add(List.of(perDecoder));
        }
        return result;
    }

    /**
     * A recognised word.
     *
     * @param word       its letters
     * @param start      seconds from the start of the audio to the start of its first letter's first step
     * @param end        seconds to the end of its last letter's last step
     * @param confidence the lowest confidence of its letters ({@link WordSpan})
     */
    public record Word(String word, double start, double end, double confidence) {

        /** @return the word and its times, without the confidence */
        public TimedWord timed() {
            return new TimedWord(word, start, end);
        }
    }

    /**
     * @param hypothesis a hypothesis of this recogniser's output, with spans (none when it carries no spans: a
     *                   beam search whose lexicon ruled out every prefix)
     * @return its words (runs of letters between spaces) with times ({@link SpeechFeatures#stepSeconds()} per
     *         network step) and confidences
     */
    public List<Word> words(CtcHypothesis hypothesis) {
        if (!hypothesis.hasSpans()) {
            return List.of();
        }
        int space = vocabulary.indexOf(" ");
        int[] labels = hypothesis.labels();
        double step = features.stepSeconds();
        List<Word> words = new ArrayList<>();
        for (WordSpan span : hypothesis.words(space)) {
            String text = vocabulary.decode(java.util.Arrays.copyOfRange(labels, span.firstToken(), span.endToken()));
            words.add(new Word(text, span.startTime(step), span.endTime(step), span.confidence()));
        }
        return words;
    }

    /**
     * Transcribes audio at {@link SpeechFeatures#sampleRate()} Hz.
     *
     * @return one text per recording
     */
    public List<String> transcribeAudio(List<float[]> recordings, CtcDecoder decoder) {
        List<String> texts = new ArrayList<>();
        for (CtcHypothesis hypothesis : decodeAudio(recordings, decoder)) {
            texts.add(vocabulary.decode(hypothesis.labels()));
        }
        return texts;
    }

    /**
     * Decodes audio at {@link SpeechFeatures#sampleRate()} Hz.
     *
     * @return one hypothesis per recording, with spans ({@link #words} gives its words with times)
     */
    public List<CtcHypothesis> decodeAudio(List<float[]> recordings, CtcDecoder decoder) {
        List<SpeechSample> samples = new ArrayList<>();
        for (float[] audio : recordings) {
            samples.add(new SpeechSample("", features.compute(audio)));
        }
        return decode(samples, List.of(decoder), 16, done -> { }).get(0);
    }
}
