package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.check.CtcDataCheck;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import io.github.dl4jctc.layer.eval.CtcEvaluation;
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
import java.util.List;
import java.util.Locale;

/**
 * Trains the speech example end to end: synthesises a fixed held-out set, trains a {@link SpeechModel} on freshly
 * synthesised utterances, transcribes the held-out set, and writes the model, a loss curve, a sheet of held-out
 * spectrograms and a few held-out WAV files to try {@code asr predict} on.
 */
public final class AsrTrainer {

    /** Seed of the held-out set: fixed, so that runs with different training seeds are compared on the same audio. */
    public static final long HELD_OUT_SEED = 0x5EED_0A5AL;
    /** Held-out utterances written as WAV files next to the model. */
    public static final int EXAMPLE_WAVS = 3;

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
     * @param wordErrorRate      held-out WER (word edits / reference words)
     * @param characterErrorRate held-out CER
     * @param heldOut            utterances in the held-out set
     * @param losses             training loss of every step
     * @param examplesPerSecond  training throughput
     * @param trainingSeconds    wall time of the training loop
     * @param model              the saved model
     */
    public record Result(double wordErrorRate, double characterErrorRate, int heldOut, double[] losses,
                         double examplesPerSecond, double trainingSeconds, Path model) {

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
            List<SpeechSample> heldOut = synthesiseHeldOut(heldOutVoice, evaluationFeatures, options.heldOut());

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

            SpeechRecognizer recognizer = new SpeechRecognizer(network, vocabulary, evaluationFeatures);
            ProgressBar reading = ProgressBar.onStdout("asr held-out", heldOut.size());
            List<String> predictions = recognizer.transcribe(heldOut, new CtcGreedyDecoder(), 64,
                    done -> reading.update(done, ""));
            reading.finish(heldOut.size(), "");
            List<String> truths = new ArrayList<>();
            for (SpeechSample sample : heldOut) {
                truths.add(sample.text());
            }
            CtcEvaluation evaluation = new CtcEvaluation(vocabulary);
            evaluation.evalTexts(truths, predictions);

            Path model = options.out().resolve("asr-model.zip");
            AsrModelFile.save(recognizer, model);
            Result result = new Result(evaluation.wordErrorRate(), evaluation.characterErrorRate(), heldOut.size(),
                    progress.losses(), progress.examplesPerSecond(), trainingSeconds, model);
            writeFiles(options, result, heldOutVoice, evaluationFeatures, truths, predictions);
            out.printf(Locale.ROOT, "asr: trained %d steps in %s (%.1f utterances/s); held-out CER %.2f%%; wrote %s,"
                            + " %s, %s, %s%n", options.steps(), ProgressBar.formatDuration(trainingSeconds),
                    result.examplesPerSecond(), 100 * result.characterErrorRate(), model,
                    options.out().resolve("asr-loss.png"), options.out().resolve("asr-samples.png"),
                    options.out().resolve("asr-example-*.wav"));
            out.println(result.summary());
            return result;
        }
    }

    private static List<SpeechSample> synthesiseHeldOut(UtteranceGenerator voice, SpeechFeatures features,
                                                        int count) {
        ProgressBar bar = ProgressBar.onStdout("asr synthesise held-out", count);
        List<SpeechSample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(AsrDataSetIterator.sample(voice, features, i));
            bar.update(i + 1, "");
        }
        bar.finish(count, "");
        return samples;
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
