package io.github.dl4jctc.zoo.asr;

/**
 * Where a word is in an utterance's audio.
 *
 * @param word  the word
 * @param start seconds from the start of the audio to the start of the word's first phone
 * @param end   seconds from the start of the audio to the end of the word's last phone ({@code >= start})
 */
public record TimedWord(String word, double start, double end) {

    public TimedWord {
        if (word == null || word.isEmpty()) {
            throw new IllegalArgumentException("word: got " + (word == null ? "null" : "\"\"")
                    + ", expected a word");
        }
        if (!(start >= 0) || !(end >= start) || Double.isInfinite(end)) {
            throw new IllegalArgumentException("start, end: got " + start + ", " + end
                    + ", expected finite 0 <= start <= end");
        }
    }

    /** @return this word at {@code offset + scale * time} (a speed change divides times by the speed) */
    public TimedWord transformed(double scale, double offset) {
        return new TimedWord(word, offset + scale * start, offset + scale * end);
    }
}
