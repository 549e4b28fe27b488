package io.github.dl4jctc.layer.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Levenshtein distance (insertions, deletions and substitutions, each costing 1) and the two tokenisations the
 * error rates use: characters (Unicode code points) and whitespace-separated words.
 */
public final class EditDistance {

    private EditDistance() {
    }

    /** @return the minimum number of single-element edits turning {@code reference} into {@code hypothesis} */
    public static int between(List<?> reference, List<?> hypothesis) {
        // Two rows of the classic table: previous[j] = distance(reference[0..i), hypothesis[0..j)).
        int[] previous = new int[hypothesis.size() + 1];
        int[] current = new int[hypothesis.size() + 1];
        for (int j = 0; j <= hypothesis.size(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= reference.size(); i++) {
            current[0] = i;
            Object r = reference.get(i - 1);
            for (int j = 1; j <= hypothesis.size(); j++) {
                int substitution = previous[j - 1] + (r.equals(hypothesis.get(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[hypothesis.size()];
    }

    /** @return the text's Unicode code points */
    public static List<Integer> characters(String text) {
        List<Integer> characters = new ArrayList<>(text.length());
        text.codePoints().forEach(characters::add);
        return characters;
    }

    /**
     * @return the text split on runs of whitespace ({@link Character#isWhitespace}), leading and trailing whitespace
     *         ignored; a blank text has no words
     */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int offset = 0; offset < text.length(); ) {
            int codePoint = text.codePointAt(offset);
            if (Character.isWhitespace(codePoint)) {
                if (start >= 0) {
                    words.add(text.substring(start, offset));
                    start = -1;
                }
            } else if (start < 0) {
                start = offset;
            }
            offset += Character.charCount(codePoint);
        }
        if (start >= 0) {
            words.add(text.substring(start));
        }
        return words;
    }
}
