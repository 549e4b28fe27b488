package io.github.dl4jctc.zoo.asr;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UtteranceGeneratorTest {

    private static FreeTtsSynthesizer synthesizer;

    @BeforeAll
    static void loadVoice() {
        synthesizer = new FreeTtsSynthesizer();
    }

    @AfterAll
    static void close() {
        synthesizer.close();
    }

    @Test
    void textsAreOneToFiveWordsOfTheList() {
        SplittableRandom random = new SplittableRandom(2);
        Set<Integer> counts = new HashSet<>();
        Set<String> words = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String[] parts = SpokenText.defaults().next(random).split(" ");
            counts.add(parts.length);
            words.addAll(List.of(parts));
        }
        assertEquals(Set.of(1, 2, 3, 4, 5), counts);
        assertEquals(new HashSet<>(SpokenText.WORDS), words);
        for (String word : SpokenText.WORDS) {
            for (char c : word.toCharArray()) {
                assertTrue(SpokenText.CHARACTERS.indexOf(c) >= 0, word);
            }
        }
    }

    @Test
    void utterancesAreReproducibleBySeedAndIndex() {
        UtteranceGenerator a = new UtteranceGenerator(synthesizer, SpokenText.defaults(),
                SpeechAugmentation.defaults(), 4);
        UtteranceGenerator b = new UtteranceGenerator(synthesizer, SpokenText.defaults(),
                SpeechAugmentation.defaults(), 4);
        Utterance first = a.utterance(3);
        Utterance again = b.utterance(3);
        assertEquals(first.text(), again.text());
        assertArrayEquals(first.samples(), again.samples());
        assertEquals(16_000, first.sampleRate());
        Utterance other = a.utterance(4);
        assertFalse(first.text().equals(other.text()) && java.util.Arrays.equals(first.samples(), other.samples()));
    }

    @Test
    void noiseIsAddedAtTheRequestedLevel() {
        float[] silence = new float[50_000];
        UtteranceGenerator.addNoise(silence, 0.05, 0.5, new SplittableRandom(1));
        assertEquals(0.05, UtteranceGenerator.rms(silence), 0.005);
    }

    @Test
    void resamplingKeepsAToneAndChangesTheLength() {
        float[] tone = new float[16_000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) Math.sin(2 * Math.PI * 440 * i / 16_000);
        }
        float[] down = Resampler.resample(tone, 16_000, 8_000);
        assertEquals(8_000, down.length);
        // Away from the edges the 440 Hz tone is still a 440 Hz sine at the new rate.
        for (int i = 1000; i < 7000; i += 97) {
            assertEquals(Math.sin(2 * Math.PI * 440 * i / 8_000), down[i], 0.01);
        }
        assertEquals(17_600, Resampler.resample(tone, 16_000, 17_600).length);
    }

    @Test
    void wordTimesMoveWithTheSpeedChangeAndTheLeadingSilence() {
        UtteranceGenerator generator = new UtteranceGenerator(synthesizer, SpokenText.defaults(),
                SpeechAugmentation.none(), 1);
        SpeechStyle style = new SpeechStyle(150, 100, 11, 1.1, 0.3, 0.1, 80, 0.5);
        Utterance utterance = generator.render("three go", style, new SplittableRandom(3));
        List<TimedWord> spoken = synthesizer.synthesizeWords("three go", 150, 100, 11).words();
        assertEquals(2, utterance.words().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(0.3 + spoken.get(i).start() / 1.1, utterance.words().get(i).start(), 1e-9);
            assertEquals(0.3 + spoken.get(i).end() / 1.1, utterance.words().get(i).end(), 1e-9);
        }
        assertTrue(utterance.words().get(1).end() < utterance.seconds() - 0.1);
    }
}
