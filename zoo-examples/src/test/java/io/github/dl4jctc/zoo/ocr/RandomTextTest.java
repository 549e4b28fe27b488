package io.github.dl4jctc.zoo.ocr;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomTextTest {

    @Test
    void textsHaveEveryLengthInRangeAndNoInvisibleSpaces() {
        RandomText texts = RandomText.defaults();
        SplittableRandom random = new SplittableRandom(3);
        Set<Integer> lengths = new HashSet<>();
        Set<Character> characters = new HashSet<>();
        int spaces = 0;
        int total = 0;
        for (int i = 0; i < 5000; i++) {
            String text = texts.next(random);
            lengths.add(text.length());
            assertFalse(text.startsWith(" ") || text.endsWith(" ") || text.contains("  "), "'" + text + "'");
            for (char c : text.toCharArray()) {
                assertTrue(OcrCharacters.ALL.indexOf(c) >= 0, "unexpected character in '" + text + "'");
                characters.add(c);
                spaces += c == ' ' ? 1 : 0;
                total++;
            }
        }
        for (int length = 1; length <= 16; length++) {
            assertTrue(lengths.contains(length), "length " + length + " never drawn");
        }
        assertEquals(16, lengths.size());
        assertEquals(OcrCharacters.ALL.length(), characters.size(), "every character should occur");
        double spaceShare = spaces / (double) total;
        assertTrue(spaceShare > 0.05 && spaceShare < 0.12, "space share " + spaceShare);
    }

    @Test
    void digitTextsUseOnlyDigits() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            String text = RandomText.digits().next(random);
            assertTrue(text.matches("[0-9]( ?[0-9]){0,7}"), text);
        }
    }

    @Test
    void sameSeedSameTexts() {
        RandomText texts = RandomText.defaults();
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        for (int i = 0; i < 50; i++) {
            assertEquals(texts.next(a), texts.next(b));
        }
    }

    @Test
    void rejectsBadRanges() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RandomText("ab", 0, 5, 0.1));
        assertTrue(e.getMessage().contains("minLength") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RandomText("ab", 5, 4, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new RandomText("ab", 1, 4, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new RandomText("a b", 1, 4, 0.1));
    }
}
