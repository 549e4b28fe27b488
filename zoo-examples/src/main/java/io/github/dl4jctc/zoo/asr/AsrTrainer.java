package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.check.CtcDataCheck;
import io.github.dl4jctc.layer.decode.WordLanguageModel;
import io.github.dl4jctc.zoo.util.LossCurvePlot;
import io.github.dl4jctc.zoo.util.Png;
import io.github.dl4jctc.zoo.util.ProgressBar;
import io.github.dl4jctc.zoo.util.ProgressListener;
import io.github.dl4jctc.zoo.util.SampleSheet;
import io.github.dl4jctc.zoo.util.Schedules;
import io.github.dl4jctc.zoo.util.Training;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Trains the speech example end to end: synthesises a fixed held-out set, trains a {@link SpeechModel} on freshly
 * synthesised utterances, transcribes the held-out set, and writes the model, a loss curve, a sheet of held-out
 * spectrograms and a few held-out WAV files to try {@code asr predict} on.
 *
 * <p>Decoding: a word trigram model ({@link WordLanguageModel#estimate}) is estimated from the transcripts of the
 * training utterances (never the held-out or tuning ones); its weight alpha and word bonus beta are chosen on a
 * tuning slice of {@link #TUNING_UTTERANCES} utterances of a seed of their own ({@link #TUNING_SEED}); the held-out
 * set is then transcribed by greedy decoding, beam search and beam search with the word model, and timed against
 * the word times of the synthesiser ({@link WordTimingError}).
 */
public final class AsrTrainer {

    /** Seed of the held-out set: fixed, so that runs with different training seeds are compared on the same audio. */
    public static final long HELD_OUT_SEED = 0x5EED_0A5AL;
    /** Held-out utterances written as WAV files next to the model. */
    public static final int EXAMPLE_WAVS = 3;
    /** Seed of the tuning slice on which the word model's alpha and beta are chosen: neither training nor held-out. */
    public static final long TUNING_SEED = 0x7E57_0A5AL;
    /** Utterances of the tuning slice (fewer when the held-out set is smaller). */
    public static final int TUNING_UTTERANCES = 200;
    /** Beam width of the beam-search decoders. */
    public static final int BEAM_WIDTH = 16;
    /** Order of the word model. */
    public static final int WORD_MODEL_ORDER = 3;
    /** The alpha (word model weight) values tried on the tuning slice. */
    static final double[] ALPHAS = {0.25, 0.5, 1, 2};
    /** The beta (bonus per word) values tried on the tuning slice. */
    static final double[] BETAS = {-1, 0, 1, 2, 4};

    /**
     * What to train.
     *
     * @param steps        minibatches to train on
     * @param batchSize    utterances per minibatch
     * @param learningRate Adam's initial learning rate
     * @param stepDown      lower the rate towards the end ({@link Schedules#stepDown}) or keep it constant
     * @param heldOut      size of the held-out set
     * @param seed         seed of the training utterances and the weight initialisation
     * @param size         network size
     * @param out          directory for the model and the pictures
     * @param sheetRows    held-out samples shown on the sample sheet
     */
    public record Options(int steps, int batchSize, double learningRate, boolean stepDown, int heldOut, long seed,
                          SpeechModel.Size size, Path out, int sheetRows) {
        public Options {
            if (steps < 1 || batchSize < 1 || heldOut < 1 || sheetRows < 0) {
                throw new IllegalArgumentException("steps, batchSize, heldOut, sheetRows: got " + steps + ", " + batchSize
                        + ", " + heldOut + ", " + sheetRows + ", expected at least 1, 1, 1, 0");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learningRate: got " + learningRate + ", expected positive");
            }
        }

        /** The default run. */
        public static Options standard(Path out) {
            return new Options(700, 32, 2e-3, true, 500, 1, SpeechModel.Size.standard(), out, 8);
        }

        /** A run of about a minute, for smoke tests. */
        public static Options quick(Path out) {
            return new Options(250, 16, 5e-3, false, 100, 1, SpeechModel.Size.small(), out, 6);
        }
    }

    /**
     * What a run gave.
     *
     * @param wordErrorRate      held-out WER (word edits / reference words) of the best decoder
     * @param characterErrorRate held-out CER of the best decoder
     * @param decoding           the held-out decoding and timing measurements
     * @param heldOut            utterances in the held-out set
     * @param losses             training loss of every step
     * @param examplesPerSecond  training throughput
     * @param trainingSeconds    wall time of the training loop
     * @param model              the saved model
     */
    public record Result(double wordErrorRate, double characterErrorRate, AsrDecoding.Report decoding, int heldOut,
                         double[] losses, double examplesPerSecond, double trainingSeconds, Path model) {

        /** @return the run's one summary line, e.g. {@code held-out WER: 3.42% (500 utterances)} */
        public String summary() {
            return String.format(Locale.ROOT, "held-out WER: %.2f%% (%d utterances)", 100 * wordErrorRate, heldOut);
        }
    }

    private AsrTrainer() {
    }

    /** Runs the training and writes its files; prints progress and, last, the summary line to {@code out}. */
    public static Result run(Options options, PrintStream out) {
        CtcVocabulary vocabulary = CtcVocabulary.ofCharacters(SpokenText.CHARACTERS);
        out.println("asr: FreeTTS voice kevin16, words " + SpokenText.WORDS + "; " + options.steps() + " steps of "
                + options.batchSize() + " utterances; output to " + options.out().toAbsolutePath());
        try (FreeTtsSynthesizer synthesizer = new FreeTtsSynthesizer()) {
            UtteranceGenerator heldOutVoice = new UtteranceGenerator(synthesizer, SpokenText.defaults(),
                    SpeechAugmentation.defaults(), HELD_OUT_SEED);
            SpeechFeatures evaluationFeatures = SpeechFeatures.defaults();
            List<Utterance> heldOutUtterances = new ArrayList<>();
            List<SpeechSample> heldOut = synthesise("asr synthesise held-out", heldOutVoice, evaluationFeatures,
                    options.heldOut(), heldOutUtterances);

            // The training data is made on DL4J's prefetch thread: it gets its own (not thread-safe) front end.
            SpeechFeatures trainingFeatures = SpeechFeatures.defaults();
            MultiLayerNetwork network = SpeechModel.create(trainingFeatures.dimension(), vocabulary.size(),
                    options.size(), Schedules.forRun(options.learningRate(), options.steps(), options.stepDown()),
                    options.seed());
            // Training utterances come from the same generator as the held-out ones (see OcrTrainer).
            out.println("asr: held-out data check: " + CtcDataCheck.check(network, new ExistingDataSetIterator(
                    AsrBatches.byLength(heldOut, options.batchSize()).stream()
                            .map(batch -> AsrBatches.toDataSet(batch, vocabulary)).toList())).summary());
            UtteranceGenerator trainingVoice = new UtteranceGenerator(synthesizer, SpokenText.defaults(),
                    SpeechAugmentation.defaults(), options.seed());
            AsrDataSetIterator batches = new AsrDataSetIterator(trainingVoice, trainingFeatures, vocabulary,
                    options.batchSize(), options.steps(), 8, options.seed());
            long start = System.nanoTime();
            ProgressListener progress = Training.fit(network, batches, "asr train", options.steps(),
                    options.batchSize());
            double trainingSeconds = (System.nanoTime() - start) / 1e9;

            // The word model knows the transcripts of the utterances trained on, and nothing else.
            List<String> trainingTexts = new ArrayList<>();
            for (long i = 0; i < (long) options.steps() * options.batchSize(); i++) {
                trainingTexts.add(trainingVoice.text(i));
            }
            WordLanguageModel wordModel = WordLanguageModel.estimate(trainingTexts, WORD_MODEL_ORDER);
            List<String> truths = heldOutUtterances.stream().map(Utterance::text).toList();
            out.println("asr: word model: " + describe(wordModel, trainingTexts, truths));

            SpeechRecognizer recognizer = new SpeechRecognizer(network, vocabulary, evaluationFeatures);
            UtteranceGenerator tuningVoice = new UtteranceGenerator(synthesizer, SpokenText.defaults(),
                    SpeechAugmentation.defaults(), TUNING_SEED);
            List<Utterance> tuningUtterances = new ArrayList<>();
            List<SpeechSample> tuning = synthesise("asr synthesise tuning slice", tuningVoice, evaluationFeatures,
                    Math.min(TUNING_UTTERANCES, options.heldOut()), tuningUtterances);
            AsrDecoding decoding = new AsrDecoding(recognizer, wordModel, BEAM_WIDTH);
            AsrDecoding.Tuning tuned = decoding.tune(tuning, tuningUtterances, ALPHAS, BETAS);
            out.println("asr: " + tuned.summary());
            AsrDecoding.Report report = decoding.evaluate(heldOut, heldOutUtterances, tuned);
            List<String> predictions = report.bestTexts();

            Path model = options.out().resolve("asr-model.zip");
            AsrModelFile.save(recognizer, model);
            Result result = new Result(report.best().wordErrorRate(), report.best().characterErrorRate(), report,
                    heldOut.size(), progress.losses(), progress.examplesPerSecond(), trainingSeconds, model);
            writeFiles(options, result, heldOutVoice, evaluationFeatures, truths, predictions);
            Path arpa = options.out().resolve("asr-words.arpa");
            wordModel.writeArpa(arpa);
            out.printf(Locale.ROOT, "asr: trained %d steps in %s (%.1f utterances/s); held-out CER %.2f%% (%s);"
                            + " wrote %s, %s, %s, %s, %s%n", options.steps(),
                    ProgressBar.formatDuration(trainingSeconds), result.examplesPerSecond(),
                    100 * result.characterErrorRate(), report.best().name(), model, arpa,
                    options.out().resolve("asr-loss.png"), options.out().resolve("asr-samples.png"),
                    options.out().resolve("asr-example-*.wav"));
            for (String line : report.lines()) {
                out.println(line);
            }
            out.println(result.summary());
            return result;
        }
    }

    /** Synthesises utterances {@code 0 .. count-1} of {@code voice}; adds them to {@code utterances}. */
    private static List<SpeechSample> synthesise(String label, UtteranceGenerator voice, SpeechFeatures features,
                                                 int count, List<Utterance> utterances) {
        ProgressBar bar = ProgressBar.onStdout(label, count);
        List<SpeechSample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Utterance utterance = voice.utterance(i);
            utterances.add(utterance);
            samples.add(new SpeechSample(utterance.text(), features.compute(utterance.samples())));
            bar.update(i + 1, "");
        }
        bar.finish(count, "");
        return samples;
    }

    /** The word model and how much of the held-out set its training sentences already hold, by length. */
    static String describe(WordLanguageModel model, List<String> trainingTexts, List<String> heldOutTexts) {
        Set<String> known = new HashSet<>(trainingTexts);
        int maxWords = heldOutTexts.stream().mapToInt(t -> t.split(" ").length).max().orElse(0);
        int[] seen = new int[maxWords + 1];
        int[] all = new int[maxWords + 1];
        for (String text : heldOutTexts) {
            int words = text.split(" ").length;
            all[words]++;
            if (known.contains(text)) {
                seen[words]++;
            }
        }
        StringBuilder byLength = new StringBuilder();
        for (int w = 1; w <= maxWords; w++) {
            if (all[w] > 0) {
                byLength.append(byLength.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                        "%d word%s %.0f%%", w, w == 1 ? "" : "s", 100.0 * seen[w] / all[w]));
            }
        }
        long total = java.util.Arrays.stream(seen).sum();
        return String.format(Locale.ROOT, "%d-gram model (modified Kneser-Ney) of the %d training transcripts, %d"
                        + " unigrams (<s>, </s>, <unk> included); %.1f%% of the held-out transcripts occur among"
                        + " them (%s)", model.order(), trainingTexts.size(), model.vocabularySize(),
                100.0 * total / heldOutTexts.size(), byLength);
    }

    private static void writeFiles(Options options, Result result, UtteranceGenerator heldOutVoice,
                                   SpeechFeatures features, List<String> truths, List<String> predictions) {
        Png.write(LossCurvePlot.render(result.losses(), "ASR training loss (CTC, mean per character)"),
                options.out().resolve("asr-loss.png"));
        List<SampleSheet.Row> rows = new ArrayList<>();
        int shown = Math.min(Math.max(options.sheetRows(), EXAMPLE_WAVS), truths.size());
        for (int i = 0; i < shown; i++) {
            // The held-out stream is deterministic: utterance i is synthesised again for its picture and WAV.
            Utterance utterance = heldOutVoice.utterance(i);
            if (i < options.sheetRows()) {
                rows.add(new SampleSheet.Row(
                        SpectrogramImage.render(features.normalisedLogMel(utterance.samples()), 2),
                        truths.get(i), predictions.get(i)));
            }
            if (i < EXAMPLE_WAVS) {
                WavFiles.write(utterance.samples(), utterance.sampleRate(),
                        options.out().resolve("asr-example-" + i + ".wav"));
            }
        }
        if (!rows.isEmpty()) {
            Png.write(SampleSheet.render("ASR held-out samples (log-mel spectrograms) - " + result.summary(), rows,
                    1), options.out().resolve("asr-samples.png"));
        }
    }
}
