package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsrDataSetIteratorTest {

    private static final CtcVocabulary VOCABULARY = CtcVocabulary.ofCharacters(SpokenText.CHARACTERS);
    private static FreeTtsSynthesizer synthesizer;

    @BeforeAll
    static void loadVoice() {
        synthesizer = new FreeTtsSynthesizer();
    }

    @AfterAll
    static void close() {
        synthesizer.close();
    }

    private static AsrDataSetIterator iterator(int batches, int bucket) {
        UtteranceGenerator generator = new UtteranceGenerator(synthesizer, SpokenText.defaults(),
                SpeechAugmentation.defaults(), 3);
        return new AsrDataSetIterator(generator, SpeechFeatures.defaults(), VOCABULARY, 4, batches, bucket, 3);
    }

    @Test
    void batchesHoldFeaturesMasksAndLabelsOfTheUtterancesAndReplayAfterReset() {
        AsrDataSetIterator iterator = iterator(3, 3);
        List<String> texts = new ArrayList<>();
        while (iterator.hasNext()) {
            DataSet data = iterator.next();
            assertEquals(4, data.numExamples());
            assertEquals(120, data.getFeatures().size(1));
            assertEquals(data.getFeatures().size(2), data.getFeaturesMaskArray().size(1));
            texts.addAll(VOCABULARY.fromLabels(data.getLabels(), data.getLabelsMaskArray()));
        }
        assertEquals(12, texts.size());
        texts.forEach(t -> assertTrue(t.matches("[a-z]+( [a-z]+){0,4}"), t));
        iterator.reset();
        List<String> again = new ArrayList<>();
        while (iterator.hasNext()) {
            DataSet data = iterator.next();
            again.addAll(VOCABULARY.fromLabels(data.getLabels(), data.getLabelsMaskArray()));
        }
        assertEquals(texts, again);
    }
}
