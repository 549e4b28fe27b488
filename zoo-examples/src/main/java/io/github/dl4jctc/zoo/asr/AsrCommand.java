package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.decode.CtcBeamSearchDecoder;
import io.github.dl4jctc.layer.decode.CtcDecoder;
import io.github.dl4jctc.layer.decode.CtcHypothesis;
import io.github.dl4jctc.layer.decode.WordLanguageModel;
import io.github.dl4jctc.zoo.util.Decoders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code asr train} and {@code asr predict}. */
@Command(name = "asr", mixinStandardHelpOptions = true,
        description = "Speech recognition of spoken digits and short command words: bidirectional LSTMs and CTC"
                + " over log-mel features of speech synthesised with FreeTTS.",
        subcommands = {AsrCommand.Train.class, AsrCommand.Predict.class})
public final class AsrCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code asr train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train on freshly synthesised utterances, then report the held-out word error rate of"
                    + " greedy, beam and beam+word LM decoding and the word timing error, and write asr-model.zip,"
                    + " asr-words.arpa (the word model), asr-loss.png, asr-samples.png and asr-example-*.wav.")
    static final class Train implements Callable<Integer> {

        @Option(names = "--quick", description = "A small network and a short run (about a minute), for smoke tests.")
        boolean quick;

        @Option(names = "--steps", description = "Minibatches to train on (default: 700, quick: 250).")
        Integer steps;

        @Option(names = "--batch-size", description = "Utterances per minibatch (default: 32, quick: 16).")
        Integer batchSize;

        @Option(names = "--learning-rate", description = "Adam's initial learning rate (default: 0.002, quick: 0.005).")
        Double learningRate;

        @Option(names = "--held-out", description = "Held-out utterances (default: 500, quick: 100).")
        Integer heldOut;

        @Option(names = "--seed", description = "Seed of the training data and weights (default: 1).")
        Long seed;

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).",
                defaultValue = "target/asr-demo")
        Path out;

        @Override
        public Integer call() {
            AsrTrainer.Options base = quick ? AsrTrainer.Options.quick(out) : AsrTrainer.Options.standard(out);
            AsrTrainer.Options options = new AsrTrainer.Options(
                    steps != null ? steps : base.steps(),
                    batchSize != null ? batchSize : base.batchSize(),
                    learningRate != null ? learningRate : base.learningRate(), base.stepDown(),
                    heldOut != null ? heldOut : base.heldOut(),
                    seed != null ? seed : base.seed(),
                    base.size(), out, base.sheetRows());
            AsrTrainer.run(options, System.out);
            return 0;
        }
    }

    /** {@code asr predict}. */
    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Transcribe WAV files (any rate, mixed to mono, resampled to 16 kHz) with a trained model;"
                    + " prints 'FILE<TAB>TEXT' per file, then one line per word: its start and end in seconds and its"
                    + " confidence (the lowest of its letters').")
    static final class Predict implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "WAV", description = "WAV files.")
        List<Path> wavs;

        @Option(names = "--model", description = "Model from 'asr train' (default: ${DEFAULT-VALUE}).",
                defaultValue = "target/asr-demo/asr-model.zip")
        Path model;

        @Option(names = "--beam", description = "Beam width for prefix beam search; 0 = greedy, or "
                + AsrTrainer.BEAM_WIDTH + " with --word-lm (default: 0).", defaultValue = "0")
        int beam;

        @Option(names = "--word-lm", description = "Word n-gram model (ARPA, e.g. asr-words.arpa from 'asr train')"
                + " for beam search.")
        Path wordModel;

        @Option(names = "--alpha", description = "Weight of the word model (default: ${DEFAULT-VALUE}, what the"
                + " tuning slice of the default 'asr train' run chose).", defaultValue = "0.25")
        double alpha;

        @Option(names = "--beta", description = "Bonus per word with the word model (default: ${DEFAULT-VALUE}).",
                defaultValue = "2.0")
        double beta;

        @Override
        public Integer call() {
            SpeechRecognizer recognizer = AsrModelFile.load(model);
            CtcDecoder decoder = Decoders.forBeam(beam);
            if (wordModel != null) {
                if (!java.nio.file.Files.isRegularFile(wordModel)) {
                    throw new IllegalArgumentException("--word-lm: got " + wordModel + ", expected an ARPA file");
                }
                decoder = new CtcBeamSearchDecoder.Builder().blankIndex(0)
                        .beamWidth(beam == 0 ? AsrTrainer.BEAM_WIDTH : beam).vocabulary(recognizer.vocabulary())
                        .wordLanguageModel(WordLanguageModel.readArpa(wordModel), alpha, beta).build();
            }
            List<float[]> recordings = new ArrayList<>();
            for (Path wav : wavs) {
                recordings.add(WavFiles.read(wav, recognizer.features().sampleRate()));
            }
            List<CtcHypothesis> hypotheses = recognizer.decodeAudio(recordings, decoder);
            for (int i = 0; i < wavs.size(); i++) {
                System.out.println(wavs.get(i) + "\t" + recognizer.vocabulary().decode(hypotheses.get(i).labels()));
                for (SpeechRecognizer.Word word : recognizer.words(hypotheses.get(i))) {
                    System.out.printf(Locale.ROOT, "  %s  %.2f-%.2f s  conf %.2f%n", word.word(), word.start(),
                            word.end(), word.confidence());
                }
            }
            return 0;
        }
    }
}
