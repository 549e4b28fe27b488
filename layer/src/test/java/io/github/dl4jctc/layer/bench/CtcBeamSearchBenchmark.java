package io.github.dl4jctc.layer.bench;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.decode.CtcBeamSearchDecoder;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import io.github.dl4jctc.layer.decode.WordLanguageModel;
import io.github.dl4jctc.layer.eval.EditDistance;
import io.github.dl4jctc.ops.bench.InterleavedTimer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Speed of the word language model and of beam-search decoding on one thread.
 *
 * <p>Data: a made-up language of {@code W} random words (2-8 letters a-z) and Zipf-distributed sentences of 4-12
 * words with a few fixed phrases; a trigram model estimated from 3000 of them; test utterances are other sentences
 * turned into frames of a peaky CTC model over 29 classes (blank, space, a-z, apostrophe): per character 2-4 frames
 * where it has probability 0.55-0.95 (in 1 of 8 characters a wrong letter gets that peak and the right one the
 * runner-up), 1-2 blank frames between. Reports LM queries per second (int and String API), frames per second per
 * thread at beam 16 and 64 with and without the word model (and with a lexicon, and hotwords), and the character
 * error rate of each decoder on these utterances (a sanity check, not a benchmark of accuracy).
 *
 * <p>Run: {@code mvn -q -pl layer -am test-compile} then {@code mvn -q -pl layer exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.github.dl4jctc.layer.bench.CtcBeamSearchBenchmark
 * -Dexec.args="5 2"} (arguments: rounds, repetitions per round).
 */
public final class CtcBeamSearchBenchmark {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
    private static final CtcVocabulary VOCAB = CtcVocabulary.ofCharacters(" " + LETTERS + "'");
    private static final int WORDS = 400;

    private CtcBeamSearchBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Random random = new Random(42);
        List<String> words = new ArrayList<>();
        while (words.size() < WORDS) {
            StringBuilder w = new StringBuilder();
            int length = 2 + random.nextInt(7);
            for (int i = 0; i < length; i++) {
                w.append(LETTERS.charAt(random.nextInt(26)));
            }
            if (!words.contains(w.toString())) {
                words.add(w.toString());
            }
        }
        List<String> training = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            training.add(sentence(random, words));
        }
        long t0 = System.nanoTime();
        WordLanguageModel lm = WordLanguageModel.estimate(training, 3);
        double estimateMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf(Locale.ROOT, "word LM: %s, estimated from %d sentences in %.0f ms%n", lm, training.size(),
                estimateMs);

        // Queries: random histories of 2 words from the vocabulary.
        int queries = 1_000_000;
        int[][] histories = new int[4096][];
        int[] targets = new int[4096];
        String[][] historyWords = new String[4096][];
        String[] targetWords = new String[4096];
        for (int i = 0; i < 4096; i++) {
            String[] h = {words.get(zipf(random)), words.get(zipf(random))};
            historyWords[i] = h;
            targetWords[i] = words.get(zipf(random));
            histories[i] = new int[]{lm.wordIndex(h[0]), lm.wordIndex(h[1])};
            targets[i] = lm.wordIndex(targetWords[i]);
        }
        double[] sink = new double[1];
        double[] queryMs = InterleavedTimer.bestInterleaved(new Runnable[]{
                () -> {
                    for (int i = 0; i < queries; i++) {
                        sink[0] += lm.log10Probability(histories[i & 4095], targets[i & 4095]);
                    }
                },
                () -> {
                    for (int i = 0; i < queries; i++) {
                        sink[0] += lm.log10Probability(List.of(historyWords[i & 4095]), targetWords[i & 4095]);
                    }
                }}, rounds, 1);
        System.out.printf(Locale.ROOT, "LM queries/s (trigram, 1 thread): int API %.1f M, String API %.1f M%n",
                queries / queryMs[0] / 1e3, queries / queryMs[1] / 1e3);

        List<String> truths = new ArrayList<>();
        List<float[][]> utterances = new ArrayList<>();
        int totalFrames = 0;
        for (int i = 0; i < 16; i++) {
            String truth = sentence(random, words);
            truths.add(truth);
            utterances.add(frames(random, truth));
            totalFrames += utterances.get(i).length;
        }
        Map<String, CtcBeamSearchDecoder> decoders = new java.util.LinkedHashMap<>();
        for (int beam : new int[]{16, 64}) {
            decoders.put("beam " + beam, new CtcBeamSearchDecoder.Builder().beamWidth(beam).build());
            decoders.put("beam " + beam + " + word LM", new CtcBeamSearchDecoder.Builder().beamWidth(beam)
                    .vocabulary(VOCAB).wordLanguageModel(lm, 0.5, 1.5).build());
        }
        decoders.put("beam 16 + word LM + lexicon", new CtcBeamSearchDecoder.Builder().beamWidth(16)
                .vocabulary(VOCAB).wordLanguageModel(lm, 0.5, 1.5).lexicon(words).build());
        decoders.put("beam 16 + 20 hotwords", new CtcBeamSearchDecoder.Builder().beamWidth(16).vocabulary(VOCAB)
                .hotwords(hotwords(words)).build());
        List<String> names = new ArrayList<>(decoders.keySet());
        Runnable[] calls = new Runnable[names.size() + 1];
        CtcGreedyDecoder greedy = new CtcGreedyDecoder();
        calls[0] = () -> utterances.forEach(greedy::decodeLogProbs);
        for (int k = 0; k < names.size(); k++) {
            CtcBeamSearchDecoder decoder = decoders.get(names.get(k));
            calls[k + 1] = () -> utterances.forEach(u -> decoder.decodeLogProbs(u, 1));
        }
        double[] ms = InterleavedTimer.bestInterleaved(calls, rounds, reps);
        System.out.printf(Locale.ROOT, "%d utterances, %d frames, C = %d; frames/s on 1 thread (best of %d rounds),"
                + " CER%n", utterances.size(), totalFrames, VOCAB.size(), rounds);
        System.out.printf(Locale.ROOT, "  %-30s %10.0f  CER %.2f%%%n", "greedy", totalFrames / ms[0] * 1e3,
                cer(truths, utterances, u -> VOCAB.decode(greedy.decodeLogProbs(u).labels())));
        for (int k = 0; k < names.size(); k++) {
            CtcBeamSearchDecoder decoder = decoders.get(names.get(k));
            System.out.printf(Locale.ROOT, "  %-30s %10.0f  CER %.2f%%%n", names.get(k),
                    totalFrames / ms[k + 1] * 1e3,
                    cer(truths, utterances, u -> VOCAB.decode(decoder.decodeLogProbs(u, 1).get(0).labels())));
        }
        if (sink[0] == 42) {
            System.out.println();
        }
    }

    private static double cer(List<String> truths, List<float[][]> utterances,
                              java.util.function.Function<float[][], String> decode) {
        long errors = 0;
        long chars = 0;
        for (int i = 0; i < truths.size(); i++) {
            errors += EditDistance.between(EditDistance.characters(truths.get(i)), EditDistance.characters(decode.apply(utterances.get(i))));
            chars += truths.get(i).length();
        }
        return 100.0 * errors / chars;
    }

    private static Map<String, Double> hotwords(List<String> words) {
        Map<String, Double> hot = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            hot.put(words.get(WORDS - 1 - i), 1.0);
        }
        return hot;
    }

    private static int zipf(Random random) {
        // P(rank r) ~ 1 / r, by inverse transform of the continuous approximation.
        return Math.min(WORDS - 1, (int) Math.floor(Math.exp(random.nextDouble() * Math.log(WORDS + 1))) - 1);
    }

    private static String sentence(Random random, List<String> words) {
        int length = 4 + random.nextInt(9);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (random.nextInt(5) == 0 && i + 2 < length) {
                // a fixed phrase: word k is often followed by words k+1, k+2
                int k = random.nextInt(30);
                s.append(s.length() == 0 ? "" : " ").append(words.get(k)).append(' ').append(words.get(k + 1))
                        .append(' ').append(words.get(k + 2));
                i += 2;
            } else {
                s.append(s.length() == 0 ? "" : " ").append(words.get(zipf(random)));
            }
        }
        return s.toString();
    }

    /** Log-probability frames [T][C] of a peaky CTC model saying {@code text}, with some confusions. */
    private static float[][] frames(Random random, String text) {
        int[] labels = VOCAB.encode(text);
        List<float[]> frames = new ArrayList<>();
        int c = VOCAB.size();
        for (int label : labels) {
            int blanks = 1 + random.nextInt(2);
            for (int i = 0; i < blanks; i++) {
                frames.add(frame(random, c, 0, 0.6 + 0.35 * random.nextDouble(), -1));
            }
            boolean confused = label != 1 && random.nextInt(8) == 0;
            int top = confused ? 2 + random.nextInt(26) : label;
            int repeats = 2 + random.nextInt(3);
            for (int i = 0; i < repeats; i++) {
                frames.add(frame(random, c, top, 0.55 + 0.4 * random.nextDouble(), confused ? label : -1));
            }
        }
        frames.add(frame(random, c, 0, 0.9, -1));
        return frames.toArray(new float[0][]);
    }

    private static float[] frame(Random random, int c, int top, double p, int runnerUp) {
        double[] q = new double[c];
        double rest = 1 - p;
        if (runnerUp >= 0) {
            q[runnerUp] = rest * 0.8;
            rest -= q[runnerUp];
        }
        double sum = 0;
        double[] noise = new double[c];
        for (int k = 0; k < c; k++) {
            if (k != top && k != runnerUp) {
                noise[k] = random.nextDouble();
                sum += noise[k];
            }
        }
        q[top] = p;
        float[] log = new float[c];
        for (int k = 0; k < c; k++) {
            if (k != top && k != runnerUp) {
                q[k] = rest * noise[k] / sum;
            }
            log[k] = (float) Math.log(q[k]);
        }
        return log;
    }
}
