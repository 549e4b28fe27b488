package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.zoo.util.TrainingBudget;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OcrDataSetIteratorTest {

    private static final CtcVocabulary VOCABULARY = CtcVocabulary.ofCharacters(OcrCharacters.ALL);

    private static OcrDataSetIterator iterator(long seed) {
        OcrSampleGenerator generator = new OcrSampleGenerator(new TextLineRenderer(32, 4), FontPool.installed(),
                RandomText.defaults(), LineAugmentation.defaults(), seed);
        return new OcrDataSetIterator(generator, VOCABULARY, 8, 5, 4, seed);
    }

    private static List<String> allTexts(OcrDataSetIterator iterator) {
        List<String> texts = new ArrayList<>();
        while (iterator.hasNext()) {
            DataSet data = iterator.next();
            assertEquals(8, data.numExamples());
            texts.addAll(VOCABULARY.fromLabels(data.getLabels(), data.getLabelsMaskArray()));
        }
        return texts;
    }

    @Test
    void yieldsTheConfiguredBatchesAndReplaysThemAfterReset() {
        OcrDataSetIterator iterator = iterator(3);
        List<String> first = allTexts(iterator);
        assertEquals(40, first.size());
        assertFalse(iterator.hasNext());
        assertThrows(NoSuchElementException.class, iterator::next);
        iterator.reset();
        assertEquals(first, allTexts(iterator));
        assertEquals(first, allTexts(iterator(3)));
        assertTrue(!first.equals(allTexts(iterator(4))));
    }

    @Test
    void prefetchingYieldsTheSameMinibatchesAndKeepsEarlierOnesIntact() {
        // What MultiLayerNetwork.fit(iterator) does with an iterator that supports async prefetching.
        OcrSampleGenerator generator = new OcrSampleGenerator(new TextLineRenderer(32, 4), FontPool.installed(),
                RandomText.defaults(), LineAugmentation.defaults(), 12);
        // No grouping by width: minibatch sizes vary as much as they can.
        List<String> expected = allTexts(new OcrDataSetIterator(generator, VOCABULARY, 8, 60, 1, 12));
        AsyncDataSetIterator prefetching = new AsyncDataSetIterator(
                new OcrDataSetIterator(generator, VOCABULARY, 8, 60, 1, 12), 2, true);
        List<String> texts = new ArrayList<>();
        DataSet previous = null;
        while (prefetching.hasNext()) {
            DataSet data = prefetching.next();
            texts.addAll(VOCABULARY.fromLabels(data.getLabels(), data.getLabelsMaskArray()));
            if (previous != null) {
                // The previous minibatch must still be intact while the next ones are being made.
                VOCABULARY.fromLabels(previous.getLabels(), previous.getLabelsMaskArray());
            }
            previous = data;
        }
        prefetching.shutdown();
        assertEquals(expected, texts);
    }

    @Test
    void batchesOfAGroupHaveSimilarWidths() {
        OcrDataSetIterator iterator = iterator(5);
        // The first group holds 4 batches sorted by width and then shuffled: no batch spans the group's range.
        List<Integer> padding = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            DataSet data = iterator.next();
            long width = data.getFeatures().size(3);
            double used = data.getFeaturesMaskArray().sumNumber().doubleValue();
            padding.add((int) Math.round(100 * (1 - used / (width * 8))));
        }
        assertTrue(padding.stream().mapToInt(Integer::intValue).average().orElseThrow() < 25,
                "padding per batch in %: " + padding);
    }

    @Test
    void aTimeBudgetEndsTheBatchesWhenTheTimeIsUp() {
        AtomicLong clock = new AtomicLong(0);
        TrainingBudget budget = new TrainingBudget(Long.MAX_VALUE, 60, clock::get);
        OcrSampleGenerator generator = new OcrSampleGenerator(new TextLineRenderer(32, 4), FontPool.installed(),
                RandomText.defaults(), LineAugmentation.defaults(), 7);
        OcrDataSetIterator iterator = new OcrDataSetIterator(generator, VOCABULARY, 4, budget, 2, 7);
        budget.start();
        for (int b = 0; b < 5; b++) {
            assertTrue(iterator.hasNext());
            assertEquals(4, iterator.next().numExamples());
            clock.addAndGet(10_000_000_000L);
        }
        assertTrue(iterator.hasNext(), "50 of 60 seconds used");
        iterator.next();
        clock.addAndGet(10_000_000_000L);
        assertFalse(iterator.hasNext());
        NoSuchElementException e = assertThrows(NoSuchElementException.class, iterator::next);
        assertTrue(e.getMessage().contains("01:00 of training") && e.getMessage().contains("6 minibatches"),
                e.getMessage());
    }
}
