package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.decode.CtcHypothesis;
import io.github.dl4jctc.layer.decode.TokenSpan;
import io.github.dl4jctc.zoo.util.Decoders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ocr train} and {@code ocr predict}. */
@Command(name = "ocr", mixinStandardHelpOptions = true,
        description = "Text-line OCR: a CRNN (convolutions, bidirectional LSTM, CTC) on lines rendered with the"
                + " installed fonts.",
        subcommands = {OcrCommand.Train.class, OcrCommand.Predict.class})
public final class OcrCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code ocr train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train on freshly rendered lines, then report the held-out character error rate and write"
                    + " ocr-model.zip, ocr-loss.png, ocr-samples.png and ocr-example-*.png.")
    static final class Train implements Callable<Integer> {

        @Option(names = "--quick", description = "A small network, digit strings only and a short run (about a minute),"
                + " for smoke tests.")
        boolean quick;

        @Option(names = "--steps", description = "Minibatches to train on at most (default: no limit, quick: 300)."
                + " Given alone, the run has no time limit.")
        Integer steps;

        @Option(names = "--minutes", description = "Minutes to train at most (default: 13, quick: no limit); the"
                + " learning rate decays over the last 60% of the run.")
        Double minutes;

        @Option(names = "--batch-size", description = "Lines per minibatch (default: 32, quick: 16).")
        Integer batchSize;

        @Option(names = "--learning-rate", description = "Adam's initial learning rate (default: 0.003, quick: 0.005).")
        Double learningRate;

        @Option(names = "--held-out", description = "Held-out lines (default: 2000, quick: 200).")
        Integer heldOut;

        @Option(names = "--seed", description = "Seed of the training data and weights (default: 1).")
        Long seed;

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).",
                defaultValue = "target/ocr-demo")
        Path out;

        @Option(names = "--unseen-font", paramLabel = "FAMILY", description = "Leave this installed font family"
                + " (e.g. \"DejaVu Sans Mono\") out of training and also report the CER on held-out lines rendered"
                + " in it.")
        String unseenFamily;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec trainSpec;

        @Option(names = "--workers", description = "Train on this many threads with DL4J's ParallelWrapper"
                + " (parameter averaging; default: ${DEFAULT-VALUE}).", defaultValue = "1")
        int workers;

        @Override
        public Integer call() {
            if (workers < 1) {
                throw new CommandLine.ParameterException(trainSpec.commandLine(),
                        "--workers: got " + workers + ", expected 1 or more");
            }
            if (steps != null && steps < 1) {
                throw new CommandLine.ParameterException(trainSpec.commandLine(),
                        "--steps: got " + steps + ", expected 1 or more");
            }
            if (minutes != null && !(minutes > 0)) {
                throw new CommandLine.ParameterException(trainSpec.commandLine(),
                        "--minutes: got " + minutes + ", expected a positive number");
            }
            OcrTrainer.Options base = quick ? OcrTrainer.Options.quick(out) : OcrTrainer.Options.standard(out);
            // --steps alone replaces the default time limit; --minutes alone the default step limit.
            int maxSteps = steps != null ? steps : (minutes != null ? 0 : base.steps());
            double maxMinutes = minutes != null ? minutes : (steps != null ? 0 : base.minutes());
            OcrTrainer.Options options = new OcrTrainer.Options(maxSteps, maxMinutes,
                    batchSize != null ? batchSize : base.batchSize(),
                    learningRate != null ? learningRate : base.learningRate(), base.decay(),
                    heldOut != null ? heldOut : base.heldOutLines(),
                    seed != null ? seed : base.seed(),
                    base.size(), base.texts(), out, base.sheetRows(), unseenFamily);
            OcrTrainer.run(options, workers, System.out);
            return 0;
        }
    }

    /** {@code ocr predict}. */
    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Read the text of one-line images (PNG, JPEG, ...) with a trained model; prints"
                    + " 'FILE<TAB>TEXT' per image, then one line per character read (spaces included): the columns"
                    + " of the image where it was read (the frames that emitted it) and its confidence.")
    static final class Predict implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images of single text lines.")
        List<Path> images;

        @Option(names = "--model", description = "Model from 'ocr train' (default: ${DEFAULT-VALUE}).",
                defaultValue = "target/ocr-demo/ocr-model.zip")
        Path model;

        @Option(names = "--beam", description = "Beam width for prefix beam search; 0 = greedy (default: 0).",
                defaultValue = "0")
        int beam;

        @Override
        public Integer call() {
            OcrRecognizer recognizer = OcrModelFile.load(model);
            List<LineImage> lines = new ArrayList<>();
            List<Double> scales = new ArrayList<>();
            for (Path image : images) {
                BufferedImage picture = readImage(image);
                lines.add(recognizer.prepare(picture));
                scales.add(recognizer.height() / (double) picture.getHeight());
            }
            List<CtcHypothesis> hypotheses = recognizer.decode(lines, Decoders.forBeam(beam), 16, done -> { });
            for (int i = 0; i < images.size(); i++) {
                int[] labels = hypotheses.get(i).labels();
                System.out.println(images.get(i) + "\t" + recognizer.vocabulary().decode(labels));
                // Columns of the picture as given: the network reads it scaled to its height.
                double pixels = CrnnModel.WIDTH_DOWNSAMPLING / scales.get(i);
                for (TokenSpan span : hypotheses.get(i).hasSpans() ? hypotheses.get(i).spans() : List.<TokenSpan>of()) {
                    System.out.printf(Locale.ROOT, "  '%s'  %.0f-%.0f px  conf %.2f%n",
                            recognizer.vocabulary().tokenAt(span.token()), span.startTime(pixels),
                            span.endTime(pixels), span.score());
                }
            }
            return 0;
        }
    }

    static BufferedImage readImage(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("IMAGE: got " + file + ", expected an existing file");
        }
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new IllegalArgumentException("IMAGE: got " + file + ", expected an image Java can read"
                        + " (PNG, JPEG, GIF, BMP)");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + file, e);
        }
    }
}
