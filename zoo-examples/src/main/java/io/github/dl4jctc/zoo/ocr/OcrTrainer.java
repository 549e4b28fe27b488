package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.check.CtcDataCheck;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import io.github.dl4jctc.layer.decode.CtcHypothesis;
import io.github.dl4jctc.layer.eval.CtcEvaluation;
import io.github.dl4jctc.zoo.util.ConfidenceSplit;
import io.github.dl4jctc.zoo.util.LossCurvePlot;
import io.github.dl4jctc.zoo.util.Png;
import io.github.dl4jctc.zoo.util.ProgressBar;
import io.github.dl4jctc.zoo.util.ProgressListener;
import io.github.dl4jctc.zoo.util.SampleSheet;
import io.github.dl4jctc.zoo.util.ProgressSchedule;
import io.github.dl4jctc.zoo.util.Training;
import io.github.dl4jctc.zoo.util.TrainingBudget;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains the OCR example end to end: renders a fixed held-out set, trains a {@link CrnnModel} on freshly rendered
 * lines, reads the held-out set, and writes the model, a loss curve, a sheet of held-out samples and a few held-out
 * lines as PNG files to try {@code ocr predict} on.
 *
 * <p>Besides the CER it reports where the characters were read ({@link CharacterPositions}: glyph centres known to
 * the renderer against the greedy hypothesis' spans) and the mean confidence of right and wrong characters
 * ({@link ConfidenceSplit}).
 */
public final class OcrTrainer {

    /** Image height of the OCR example. */
    public static final int HEIGHT = 32;
    /** Seed of the held-out set: fixed, so that runs with different training seeds are compared on the same lines. */
    public static final long HELD_OUT_SEED = 0x0CC0_FFEEL;
    /** Held-out lines written as PNG files next to the model, to try {@code ocr predict} on. */
    public static final int EXAMPLE_PNGS = 3;
    /**
     * Training minutes of the default run: with rendering the held-out set, reading it and starting the JVM the
     * whole run stays within 15 minutes.
     */
    public static final double DEFAULT_MINUTES = 13;
    /**
     * The decaying schedule: the initial rate for the first part of the run, then a half-cosine down to a small
     * fraction of it (see {@link ProgressSchedule}).
     */
    public static final double DECAY_HOLD = 0.4;
    /** Final rate of the decaying schedule, as a fraction of the initial one. */
    public static final double DECAY_FINAL = 0.02;

    /**
     * What to train.
     *
     * @param steps         minibatches to train on at most; 0 for no step limit
     * @param minutes       wall-clock minutes to train at most; 0 for no time limit (one of the two must be set)
     * @param batchSize     lines per minibatch
     * @param learningRate  Adam's initial learning rate
     * @param decay         lower the rate over the later part of the run ({@link #DECAY_HOLD},
     *                      {@link #DECAY_FINAL}) or keep it constant
     * @param heldOutLines  size of the held-out set
     * @param seed          seed of the training lines and the weight initialisation
     * @param size          network size
     * @param texts         what the lines say (training and held-out)
     * @param out           directory for the model and the pictures
     * @param sheetRows     held-out samples shown on the sample sheet
     * @param unseenFamily  a font family left out of training, whose held-out lines are read and scored apart; null
     *                      to train on every installed family
     */
    public record Options(int steps, double minutes, int batchSize, double learningRate, boolean decay,
                          int heldOutLines, long seed, CrnnModel.Size size, RandomText texts, Path out,
                          int sheetRows, String unseenFamily) {
        public Options {
            if (steps < 0 || !(minutes >= 0) || (steps == 0 && minutes == 0)) {
                throw new IllegalArgumentException("steps and minutes must be >= 0 and one of them positive, got "
                        + steps + " and " + minutes);
            }
            if (batchSize < 1 || heldOutLines < 1 || sheetRows < 0) {
                throw new IllegalArgumentException("batchSize, heldOutLines, sheetRows: got " + batchSize + ", "
                        + heldOutLines + ", " + sheetRows + ", expected at least 1, 1, 0");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learningRate: got " + learningRate + ", expected positive");
            }
        }

        /** The default run: {@value #DEFAULT_MINUTES} minutes of training, whatever number of steps that is. */
        public static Options standard(Path out) {
            return new Options(0, DEFAULT_MINUTES, 32, 3e-3, true, 2000, 1, CrnnModel.Size.standard(),
                    RandomText.defaults(), out, 24, null);
        }

        /**
         * A run of about a minute, for smoke tests: small network, few steps, small held-out set, and digit strings
         * only (all 62 letters and digits need far more training before the first character is read at all).
         */
        public static Options quick(Path out) {
            return new Options(300, 0, 16, 5e-3, false, 200, 1, CrnnModel.Size.small(), RandomText.digits(), out,
                    12, null);
        }

        /** @return the run's budget (its clock not started) */
        public TrainingBudget budget() {
            return new TrainingBudget(steps == 0 ? Long.MAX_VALUE : steps,
                    minutes == 0 ? Double.POSITIVE_INFINITY : minutes * 60, System::nanoTime);
        }
    }

    /**
     * What a run gave.
     *
     * @param characterErrorRate held-out CER in [0, inf) (edits / reference characters)
     * @param positions          where the held-out characters were read ({@link CharacterPositions})
     * @param confidences        held-out token confidences of right and wrong characters
     * @param heldOutLines       lines in the held-out set
     * @param losses             training loss of every step (their number: the steps trained)
     * @param examplesPerSecond  training throughput
     * @param trainingSeconds    wall time of the training loop
     * @param model              the saved model
     */
    public record Result(double characterErrorRate, CharacterPositions.Counts positions,
                         ConfidenceSplit confidences, int heldOutLines, double[] losses, double examplesPerSecond,
                         double trainingSeconds, Path model) {

        /**
         * @return the position and confidence lines: the segment accuracy (the reported one), the strict one, and
         *         the mean confidences
         */
        public List<String> positionLines() {
            return List.of(
                    String.format(Locale.ROOT, "held-out character position accuracy: %.2f%% (segment spans;"
                                    + " strict spans %.2f%%; %d characters, misread ones counted as misses; of the %d"
                                    + " read right: segment %.2f%%, strict %.2f%%)", 100 * positions.segmentAccuracy(),
                            100 * positions.strictAccuracy(), positions.characters(), positions.matched(),
                            100 * positions.segmentAccuracyOfMatched(), 100 * positions.strictAccuracyOfMatched()),
                    "held-out character confidence: " + confidences.summary());
        }

        /** @return the run's one summary line, e.g. {@code held-out CER: 3.00% (2000 lines)} */
        public String summary() {
            return String.format(Locale.ROOT, "held-out CER: %.2f%% (%d lines)", 100 * characterErrorRate,
                    heldOutLines);
        }
    }

    private OcrTrainer() {
    }

    /** Runs the training and writes its files; prints progress and, last, the summary line to {@code out}. */
    public static Result run(Options options, PrintStream out) {
        return run(options, 1, out);
    }

    /**
     * As {@link #run(Options, PrintStream)}, training on {@code workers} threads (ParallelWrapper) when more than
     * one: each worker takes every {@code workers}-th minibatch, so an iteration of a worker counts as
     * {@code workers} steps of the learning-rate schedule.
     */
    public static Result run(Options options, int workers, PrintStream out) {
        CtcVocabulary vocabulary = CtcVocabulary.ofCharacters(OcrCharacters.ALL);
        TrainingBudget budget = options.budget();
        FontPool installed = FontPool.installed();
        FontPool fonts = options.unseenFamily() == null ? installed : installed.without(options.unseenFamily());
        TextLineRenderer renderer = new TextLineRenderer(HEIGHT, CrnnModel.WIDTH_DOWNSAMPLING);
        out.println("ocr: fonts " + fonts + "; texts of " + options.texts().minLength() + "-"
                + options.texts().maxLength() + " characters from \"" + options.texts().glyphs() + "\" and spaces; "
                + budget + " in minibatches of " + options.batchSize() + " lines; output to "
                + options.out().toAbsolutePath());

        List<OcrSample> heldOut = renderHeldOut(fonts, renderer, options.texts(), options.heldOutLines());

        ProgressSchedule schedule = options.decay()
                ? new ProgressSchedule(options.learningRate(), DECAY_HOLD, DECAY_FINAL, budget, workers)
                : ProgressSchedule.constant(options.learningRate());
        MultiLayerNetwork network = CrnnModel.create(HEIGHT, vocabulary.size(), options.size(), schedule,
                options.seed());
        // The training lines are drawn from the same generator as the held-out ones: checking those with the
        // network's own frame counts catches a line too long for its frames before any training time is spent.
        out.println("ocr: held-out data check: " + CtcDataCheck.check(network, new ExistingDataSetIterator(
                OcrBatches.byWidth(heldOut, options.batchSize()).stream()
                        .map(batch -> OcrBatches.toDataSet(batch, vocabulary)).toList())).summary());
        OcrSampleGenerator training = new OcrSampleGenerator(renderer, fonts, options.texts(),
                LineAugmentation.defaults(), options.seed());
        OcrDataSetIterator batches = new OcrDataSetIterator(training, vocabulary, options.batchSize(), budget, 8,
                options.seed());
        long start = System.nanoTime();
        ProgressListener progress = Training.fit(network, batches, "ocr train", budget, options.batchSize(),
                workers);
        double trainingSeconds = (System.nanoTime() - start) / 1e9;

        OcrRecognizer recognizer = new OcrRecognizer(network, vocabulary, HEIGHT);
        List<LineImage> images = new ArrayList<>();
        List<String> truths = new ArrayList<>();
        for (OcrSample sample : heldOut) {
            images.add(sample.image());
            truths.add(sample.text());
        }
        ProgressBar reading = ProgressBar.onStdout("ocr held-out", images.size());
        List<CtcHypothesis> hypotheses = recognizer.decode(images, new CtcGreedyDecoder(), 64,
                done -> reading.update(done, ""));
        reading.finish(images.size(), "");
        List<String> predictions = new ArrayList<>();
        CharacterPositions.Counts positions = CharacterPositions.Counts.NONE;
        ConfidenceSplit confidences = ConfidenceSplit.EMPTY;
        for (int i = 0; i < hypotheses.size(); i++) {
            String read = vocabulary.decode(hypotheses.get(i).labels());
            predictions.add(read);
            positions = positions.plus(CharacterPositions.count(heldOut.get(i), hypotheses.get(i), read));
            confidences = confidences.plus(CharacterPositions.characters(truths.get(i)),
                    CharacterPositions.characters(read), hypotheses.get(i).spans());
        }
        CtcEvaluation evaluation = new CtcEvaluation(vocabulary);
        evaluation.evalTexts(truths, predictions);
        if (options.unseenFamily() != null) {
            List<OcrSample> unseen = renderHeldOut(FontPool.of(List.of(options.unseenFamily())), renderer,
                    options.texts(), options.heldOutLines());
            CtcEvaluation unseenEvaluation = new CtcEvaluation(vocabulary);
            unseenEvaluation.evalTexts(texts(unseen), read(recognizer, unseen, "ocr unseen family"));
            out.printf(Locale.ROOT, "held-out CER in a font family left out of training (%s): %.2f%% (%d lines)%n",
                    options.unseenFamily(), 100 * unseenEvaluation.characterErrorRate(), unseen.size());
        }

        Path model = options.out().resolve("ocr-model.zip");
        OcrModelFile.save(recognizer, model);
        Result result = new Result(evaluation.characterErrorRate(), positions, confidences, heldOut.size(),
                progress.losses(), progress.examplesPerSecond(), trainingSeconds, model);
        writePictures(options, result, heldOut, predictions);
        out.printf(Locale.ROOT, "ocr: trained %d steps in %s (%.1f lines/s); wrote %s, %s, %s, %s%n",
                progress.iterations(), ProgressBar.formatDuration(trainingSeconds), result.examplesPerSecond(), model,
                options.out().resolve("ocr-loss.png"), options.out().resolve("ocr-samples.png"),
                options.out().resolve("ocr-example-*.png"));
        for (String line : result.positionLines()) {
            out.println(line);
        }
        out.println(result.summary());
        return result;
    }

    private static List<String> read(OcrRecognizer recognizer, List<OcrSample> samples, String label) {
        List<LineImage> images = new ArrayList<>();
        for (OcrSample sample : samples) {
            images.add(sample.image());
        }
        ProgressBar reading = ProgressBar.onStdout(label, images.size());
        List<String> predictions = recognizer.read(images, new CtcGreedyDecoder(), 64,
                done -> reading.update(done, ""));
        reading.finish(images.size(), "");
        return predictions;
    }

    private static List<String> texts(List<OcrSample> samples) {
        List<String> texts = new ArrayList<>();
        for (OcrSample sample : samples) {
            texts.add(sample.text());
        }
        return texts;
    }

    private static List<OcrSample> renderHeldOut(FontPool fonts, TextLineRenderer renderer, RandomText texts,
                                                 int lines) {
        OcrSampleGenerator generator = new OcrSampleGenerator(renderer, fonts, texts,
                LineAugmentation.defaults(), HELD_OUT_SEED);
        ProgressBar bar = ProgressBar.onStdout("ocr render held-out", lines);
        List<OcrSample> samples = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            samples.add(generator.sample(i));
            bar.update(i + 1, "");
        }
        bar.finish(lines, "");
        return samples;
    }

    private static void writePictures(Options options, Result result, List<OcrSample> heldOut,
                                      List<String> predictions) {
        Png.write(LossCurvePlot.render(result.losses(), "OCR training loss (CTC, mean per character)"),
                options.out().resolve("ocr-loss.png"));
        List<SampleSheet.Row> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(options.sheetRows(), heldOut.size()); i++) {
            rows.add(new SampleSheet.Row(heldOut.get(i).image().toBufferedImage(), heldOut.get(i).text(),
                    predictions.get(i)));
        }
        if (!rows.isEmpty()) {
            Png.write(SampleSheet.render("OCR held-out samples - " + result.summary(), rows, 2),
                    options.out().resolve("ocr-samples.png"));
        }
        for (int i = 0; i < Math.min(EXAMPLE_PNGS, heldOut.size()); i++) {
            Png.write(heldOut.get(i).image().toBufferedImage(), options.out().resolve("ocr-example-" + i + ".png"));
        }
    }
}
