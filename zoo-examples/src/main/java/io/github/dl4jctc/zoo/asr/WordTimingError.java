package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.zoo.util.SequenceAlignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How far recognised words are from where they were spoken.
 *
 * <p>Words are matched through the minimum-edit alignment of the recognised words with the spoken ones
 * ({@link SequenceAlignment}): only a recognised word aligned with an equal spoken word counts; substituted, missed
 * and inserted words give no timing error (the word error rate counts them). Each matched word gives two errors,
 * {@code |predicted start - true start|} and {@code |predicted end - true end|}.
 */
public final class WordTimingError {

    /**
     * A spoken word and the recognised word matched with it.
     *
     * @param truth     where the synthesiser put it
     * @param predicted where the recogniser put it
     */
    public record Match(TimedWord truth, TimedWord predicted) {
    }

    private WordTimingError() {
    }

    /** @return the matched words of one utterance, in order */
    public static List<Match> matches(List<TimedWord> truth, List<TimedWord> predicted) {
        int[] matched = SequenceAlignment.matches(truth.stream().map(TimedWord::word).toList(),
                predicted.stream().map(TimedWord::word).toList());
        List<Match> result = new ArrayList<>();
        for (int i = 0; i < matched.length; i++) {
            if (matched[i] >= 0) {
                result.add(new Match(truth.get(i), predicted.get(matched[i])));
            }
        }
        return result;
    }

    /**
     * @param matches     matched words
     * @param startOffset seconds added to every predicted start
     * @param endOffset   seconds added to every predicted end
     * @return the absolute start and end errors of every match, in seconds (two per match: start, end)
     */
    public static double[] errors(List<Match> matches, double startOffset, double endOffset) {
        double[] errors = new double[2 * matches.size()];
        for (int i = 0; i < matches.size(); i++) {
            Match m = matches.get(i);
            errors[2 * i] = Math.abs(m.predicted().start() + startOffset - m.truth().start());
            errors[2 * i + 1] = Math.abs(m.predicted().end() + endOffset - m.truth().end());
        }
        return errors;
    }

    /**
     * Offsets that move predicted word boundaries onto the true ones in the median: {@code [median(true start -
     * predicted start), median(true end - predicted end)]}, in seconds.
     *
     * @throws IllegalArgumentException if there are no matches
     */
    public static double[] medianOffsets(List<Match> matches) {
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("matches: got none, expected at least one matched word");
        }
        double[] start = new double[matches.size()];
        double[] end = new double[matches.size()];
        for (int i = 0; i < matches.size(); i++) {
            start[i] = matches.get(i).truth().start() - matches.get(i).predicted().start();
            end[i] = matches.get(i).truth().end() - matches.get(i).predicted().end();
        }
        return new double[]{percentile(start, 50), percentile(end, 50)};
    }

    /** @return the mean of {@code values} (NaN for none) */
    public static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /**
     * The nearest-rank percentile: the smallest value with at least {@code p}% of the values at or below it.
     *
     * @param p in (0, 100]
     * @return NaN for no values
     */
    public static double percentile(double[] values, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("p: got " + p + ", expected a percentage in (0, 100]");
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }
}
