package io.github.dl4jctc.zoo.asr;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random utterance texts for the speech example: {@code minWords..maxWords} words, each drawn uniformly from
 * {@link #WORDS} (the ten digits and ten short command words), joined by single spaces.
 */
public final class SpokenText {

    /** The digits as words. */
    public static final List<String> DIGITS =
            List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    /** Short command words. */
    public static final List<String> COMMANDS =
            List.of("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go");
    /** Every word an utterance may hold. */
    public static final List<String> WORDS = concat(DIGITS, COMMANDS);
    /** The characters of the transcripts, in class order (class 0 is the CTC blank). */
    public static final String CHARACTERS = " abcdefghijklmnopqrstuvwxyz";

    private final int minWords;
    private final int maxWords;

    /**
     * @param minWords fewest words, at least 1
     * @param maxWords most words, at least {@code minWords}
     */
    public SpokenText(int minWords, int maxWords) {
        if (minWords < 1) {
            throw new IllegalArgumentException("minWords: got " + minWords + ", expected at least 1");
        }
        if (maxWords < minWords) {
            throw new IllegalArgumentException("maxWords: got " + maxWords + ", expected >= minWords = " + minWords);
        }
        this.minWords = minWords;
        this.maxWords = maxWords;
    }

    /** One to five words: the texts of the speech example. */
    public static SpokenText defaults() {
        return new SpokenText(1, 5);
    }

    /** @return a random text of {@code minWords..maxWords} words */
    public String next(RandomGenerator random) {
        int count = minWords + random.nextInt(maxWords - minWords + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(WORDS.get(random.nextInt(WORDS.size())));
        }
        return text.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
