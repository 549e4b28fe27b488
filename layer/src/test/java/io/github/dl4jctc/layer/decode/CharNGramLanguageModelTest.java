package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharNGramLanguageModelTest {

    private static final CtcVocabulary VOCAB = CtcVocabulary.ofCharacters("abc");   // 0 blank, 1 a, 2 b, 3 c

    @Test
    void bigramProbabilitiesAreAddKSmoothedCounts() {
        CharNGramLanguageModel lm = CharNGramLanguageModel.train(List.of("ab", "ab", "ac"), VOCAB, 2, 1.0);
        // After "a": b 2x, c 1x of 3; V = 3 -> (count + 1) / (3 + 3).
        assertEquals(Math.log(3.0 / 6), lm.logProbability(new int[]{1}, 2), 1e-12);
        assertEquals(Math.log(2.0 / 6), lm.logProbability(new int[]{2, 1}, 3), 1e-12);
        assertEquals(Math.log(1.0 / 6), lm.logProbability(new int[]{1}, 1), 1e-12);
        // At the start: a 3x of 3.
        assertEquals(Math.log(4.0 / 6), lm.logProbability(new int[0], 1), 1e-12);
        // "c" never had a successor: uniform.
        assertEquals(Math.log(1.0 / 3), lm.logProbability(new int[]{3}, 2), 1e-12);
    }

    @Test
    void probabilitiesOverTheNonBlankClassesSumToOne() {
        CharNGramLanguageModel lm = CharNGramLanguageModel.train(List.of("abcab", "ccb", "a"), VOCAB, 3, 0.3);
        for (int[] prefix : new int[][]{{}, {1}, {1, 2}, {3, 3}, {2, 2}}) {
            double sum = 0;
            for (int label = 1; label <= 3; label++) {
                sum += Math.exp(lm.logProbability(prefix, label));
            }
            assertEquals(1.0, sum, 1e-12);
        }
    }

    @Test
    void unigramIgnoresContextAndTokenVocabulariesCountTokens() {
        CharNGramLanguageModel unigram = CharNGramLanguageModel.train(List.of("aab"), VOCAB, 1, 0.5);
        assertEquals(Math.log(2.5 / 4.5), unigram.logProbability(new int[]{2, 3}, 1), 1e-12);
        CtcVocabulary words = CtcVocabulary.ofTokens(List.of("go", "stop"), 0);
        CharNGramLanguageModel lm = CharNGramLanguageModel.train(List.of("go go stop"), words, 2, 1.0);
        // After "go": go 1x, stop 1x; V = 2.
        assertEquals(Math.log(2.0 / 4), lm.logProbability(new int[]{1}, 2), 1e-12);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CharNGramLanguageModel.train(List.of("a"), VOCAB, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> CharNGramLanguageModel.train(List.of("a"), VOCAB, 2, 0));
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> CharNGramLanguageModel.train(List.of("a", "abd"), VOCAB, 2, 1));
        assertTrue(text.getMessage().startsWith("texts[1]") && text.getMessage().contains("'d'"), text.getMessage());
        CharNGramLanguageModel lm = CharNGramLanguageModel.train(List.of("a"), VOCAB, 2, 1);
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> lm.logProbability(new int[0], 0));
        assertTrue(blank.getMessage().contains("nextLabel"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lm.logProbability(new int[0], 4));
    }
}
