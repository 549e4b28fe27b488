package io.github.dl4jctc.layer.decode;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Confidence separates right from wrong tokens on synthetic posteriors: frames of a known labelling scored by a
 * noisy "network" (the true class gets a fixed logit margin, every class Gaussian noise), so that decoders make
 * substitutions, insertions and deletions. Right and wrong come from an edit-distance alignment of each hypothesis
 * with the truth.
 */
class CtcConfidenceTest {

    private static final int CLASSES = 6;   // 0 = blank, 1..4 letters, 5 = space
    private static final int SPACE = 5;

    @Test
    void wrongTokensAndWordsScoreLowerThanRightOnes() {
        Random random = new Random(2024);
        List<double[][]> utterances = new ArrayList<>();
        List<int[]> truths = new ArrayList<>();
        for (int u = 0; u < 300; u++) {
            int[] truth = randomText(random);
            truths.add(truth);
            utterances.add(noisyFrames(random, truth, 3.5, 1.0));
        }
        CtcGreedyDecoder greedy = new CtcGreedyDecoder(0, RNNFormat.NWC);
        CtcBeamSearchDecoder beam = new CtcBeamSearchDecoder.Builder().beamWidth(8).format(RNNFormat.NWC).build();
        for (CtcDecoder decoder : List.of(greedy, beam)) {
            Scores tokens = new Scores();
            Scores words = new Scores();
            for (int u = 0; u < utterances.size(); u++) {
                CtcHypothesis h = decoder.decode(Frames.nwc(new double[][][]{utterances.get(u)}), null).get(0);
                boolean[] right = rightTokens(truths.get(u), h.labels());
                for (int i = 0; i < h.length(); i++) {
                    tokens.add(h.spans().get(i).score(), right[i]);
                }
                for (WordSpan w : h.words(SPACE)) {
                    boolean allRight = true;
                    for (int i = w.firstToken(); i < w.endToken(); i++) {
                        allRight &= right[i];
                    }
                    words.add(w.confidence(), allRight && wordInTruth(truths.get(u), h.labels(), w));
                }
            }
            String report = decoder + ": tokens " + tokens + "; words " + words;
            System.out.println(report);
            assertTrue(tokens.wrongCount() > 100 && tokens.rightCount() > 1000, report);
            assertTrue(tokens.meanRight() > tokens.meanWrong() + 0.2, report);
            assertTrue(tokens.auroc() > 0.85, report);
            assertTrue(words.meanRight() > words.meanWrong() + 0.15, report);
            assertTrue(words.auroc() > 0.8, report);
        }
    }

    /** Words of 1-4 letters separated by single spaces, 2-4 words. */
    private static int[] randomText(Random random) {
        List<Integer> labels = new ArrayList<>();
        int words = 2 + random.nextInt(3);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                labels.add(SPACE);
            }
            int letters = 1 + random.nextInt(4);
            for (int i = 0; i < letters; i++) {
                labels.add(1 + random.nextInt(4));
            }
        }
        return labels.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Each label held for 1-3 frames, 0-2 blank frames between labels (at least 1 between repeats); per frame the
     * true class gets logit {@code margin}, every class adds N(0, noise^2); softmax. With margin 3.5 and noise 1
     * about 7% of the decoded tokens are wrong (printed by the test).
     */
    private static double[][] noisyFrames(Random random, int[] truth, double margin, double noise) {
        List<Integer> path = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            int blanks = random.nextInt(3);
            if (i > 0 && truth[i] == truth[i - 1]) {
                blanks = Math.max(blanks, 1);
            }
            for (int b = 0; b < blanks; b++) {
                path.add(0);
            }
            int hold = 1 + random.nextInt(3);
            for (int h = 0; h < hold; h++) {
                path.add(truth[i]);
            }
        }
        path.add(0);
        double[][] frames = new double[path.size()][CLASSES];
        for (int t = 0; t < frames.length; t++) {
            double sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                double logit = random.nextGaussian() * noise + (c == path.get(t) ? margin : 0);
                frames[t][c] = Math.exp(logit);
                sum += frames[t][c];
            }
            for (int c = 0; c < CLASSES; c++) {
                frames[t][c] /= sum;
            }
        }
        return frames;
    }

    /** Per hypothesis token: whether a minimum edit-distance alignment with the truth matches it to an equal token. */
    static boolean[] rightTokens(int[] truth, int[] hypothesis) {
        int n = truth.length;
        int m = hypothesis.length;
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + (truth[i - 1] == hypothesis[j - 1] ? 0 : 1));
            }
        }
        boolean[] right = new boolean[m];
        int i = n;
        int j = m;
        while (i > 0 && j > 0) {
            if (d[i][j] == d[i - 1][j - 1] + (truth[i - 1] == hypothesis[j - 1] ? 0 : 1)) {
                right[j - 1] = truth[i - 1] == hypothesis[j - 1];
                i--;
                j--;
            } else if (d[i][j] == d[i][j - 1] + 1) {
                j--;
            } else {
                i--;
            }
        }
        return right;
    }

    /** Whether the hypothesis word also occurs, as a whole word, in the truth (a right word, not a fragment). */
    private static boolean wordInTruth(int[] truth, int[] hypothesis, WordSpan w) {
        String word = " " + text(hypothesis, w.firstToken(), w.endToken()) + " ";
        return (" " + text(truth, 0, truth.length) + " ").contains(word);
    }

    private static String text(int[] labels, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            s.append(labels[i] == SPACE ? ' ' : (char) ('a' + labels[i] - 1));
        }
        return s.toString();
    }

    /** Confidences of right and wrong items. */
    private static final class Scores {
        final List<Double> right = new ArrayList<>();
        final List<Double> wrong = new ArrayList<>();

        void add(double confidence, boolean isRight) {
            assertTrue(confidence >= 0 && confidence <= 1, "confidence " + confidence);
            (isRight ? right : wrong).add(confidence);
        }

        int rightCount() {
            return right.size();
        }

        int wrongCount() {
            return wrong.size();
        }

        double meanRight() {
            return right.stream().mapToDouble(x -> x).average().orElse(Double.NaN);
        }

        double meanWrong() {
            return wrong.stream().mapToDouble(x -> x).average().orElse(Double.NaN);
        }

        /** Probability that a random right item scores above a random wrong one (ties count half). */
        double auroc() {
            double wins = 0;
            for (double r : right) {
                for (double w : wrong) {
                    wins += r > w ? 1 : r == w ? 0.5 : 0;
                }
            }
            return wins / ((double) right.size() * wrong.size());
        }

        @Override
        public String toString() {
            return String.format("right %d mean %.3f, wrong %d mean %.3f, AUROC %.3f", right.size(), meanRight(),
                    wrong.size(), meanWrong(), auroc());
        }
    }
}
