package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.decode.CtcBeamSearchDecoder;
import io.github.dl4jctc.layer.decode.CtcDecoder;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import io.github.dl4jctc.layer.decode.CtcHypothesis;
import io.github.dl4jctc.layer.decode.WordLanguageModel;
import io.github.dl4jctc.layer.eval.CtcEvaluation;
import io.github.dl4jctc.zoo.util.ProgressBar;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The decoders of the speech example compared on one set of utterances: greedy, prefix beam search, and beam search
 * with a word language model whose alpha and beta are chosen on a tuning slice ({@link #tune}); and the word timing
 * of the word-model hypotheses against the synthesiser's word times ({@link WordTimingError}).
 *
 * <p>Timing is reported two ways. <b>Raw spans</b>: a word starts at its first letter's first network step and ends
 * after its last letter's last step ({@link SpeechRecognizer#words}). CTC emits each letter on one or two steps
 * somewhere inside its sound, so raw spans start late and end early. <b>Offset spans</b>: raw starts and ends
 * shifted by the median start and end differences fitted on the tuning slice ({@link WordTimingError#medianOffsets}),
 * never on the set they are measured on.
 */
final class AsrDecoding {

    private final SpeechRecognizer recognizer;
    private final WordLanguageModel wordModel;
    private final int beamWidth;

    AsrDecoding(SpeechRecognizer recognizer, WordLanguageModel wordModel, int beamWidth) {
        this.recognizer = recognizer;
        this.wordModel = wordModel;
        this.beamWidth = beamWidth;
    }

    /**
     * One decoder's results on a set.
     *
     * @param name               how the report names it
     * @param wordErrorRate      word edits / reference words
     * @param characterErrorRate character edits / reference characters
     * @param hypotheses         one per utterance
     * @param texts              their transcripts
     */
    record Scored(String name, double wordErrorRate, double characterErrorRate, List<CtcHypothesis> hypotheses,
                  List<String> texts) {
    }

    /**
     * The word model's weights chosen on the tuning slice, and the timing offsets fitted there.
     *
     * @param alpha       word model weight
     * @param beta        bonus per word
     * @param wordErrorRate the tuning slice's WER with them
     * @param utterances  size of the tuning slice
     * @param startOffset seconds added to raw word starts
     * @param endOffset   seconds added to raw word ends
     */
    record Tuning(double alpha, double beta, double wordErrorRate, int utterances, double startOffset,
                  double endOffset) {

        String summary() {
            return String.format(Locale.ROOT, "word model weights chosen on a tuning slice of %d utterances (neither"
                            + " training nor held-out): alpha %s, beta %s (tuning WER %.2f%%); word timing offsets"
                            + " fitted there: start %+.0f ms, end %+.0f ms", utterances, alpha, beta,
                    100 * wordErrorRate, 1000 * startOffset, 1000 * endOffset);
        }
    }

    /**
     * The held-out measurements.
     *
     * @param greedy      greedy decoding
     * @param beam        beam search without language model
     * @param wordModel   beam search with the word model
     * @param rawErrors   word timing errors of the word-model hypotheses, raw spans, seconds
     * @param offsetErrors the same with the tuning slice's offsets
     * @param matchedWords words matched with the reference (each gives a start and an end error)
     */
    record Report(Scored greedy, Scored beam, Scored wordModel, double[] rawErrors, double[] offsetErrors,
                  int matchedWords) {

        /** @return the decoder of the lowest WER (the earlier of equals: greedy, beam, beam+word LM) */
        Scored best() {
            Scored best = greedy;
            for (Scored s : List.of(beam, wordModel)) {
                if (s.wordErrorRate() < best.wordErrorRate()) {
                    best = s;
                }
            }
            return best;
        }

        List<String> bestTexts() {
            return best().texts();
        }

        /** @return the report lines, the decoder comparison first */
        List<String> lines() {
            return List.of(
                    String.format(Locale.ROOT, "held-out WER by decoder: greedy %.2f%%, beam %.2f%%, beam+word LM"
                                    + " %.2f%%", 100 * greedy.wordErrorRate(), 100 * beam.wordErrorRate(),
                            100 * wordModel.wordErrorRate()),
                    String.format(Locale.ROOT, "held-out word timing error: mean %.1f ms, 95th percentile %.1f ms"
                                    + " (beam+word LM words, spans shifted by the tuning slice's offsets; %d words)",
                            1000 * WordTimingError.mean(offsetErrors),
                            1000 * WordTimingError.percentile(offsetErrors, 95), matchedWords),
                    String.format(Locale.ROOT, "held-out word timing error, raw spans: mean %.1f ms, 95th percentile"
                                    + " %.1f ms", 1000 * WordTimingError.mean(rawErrors),
                            1000 * WordTimingError.percentile(rawErrors, 95)));
        }
    }

    CtcBeamSearchDecoder beam() {
        return new CtcBeamSearchDecoder.Builder().blankIndex(0).beamWidth(beamWidth).build();
    }

    CtcBeamSearchDecoder withWordModel(double alpha, double beta) {
        return new CtcBeamSearchDecoder.Builder().blankIndex(0).beamWidth(beamWidth)
                .vocabulary(recognizer.vocabulary()).wordLanguageModel(wordModel, alpha, beta).build();
    }

    /** Tries every (alpha, beta) on the tuning slice; keeps the lowest WER (then CER; the first of equals). */
    Tuning tune(List<SpeechSample> samples, List<Utterance> utterances, double[] alphas, double[] betas) {
        List<CtcDecoder> decoders = new ArrayList<>();
        for (double alpha : alphas) {
            for (double beta : betas) {
                decoders.add(withWordModel(alpha, beta));
            }
        }
        ProgressBar bar = ProgressBar.onStdout("asr tune alpha, beta", samples.size());
        List<List<CtcHypothesis>> all = recognizer.decode(samples, decoders, 64, done -> bar.update(done, ""));
        bar.finish(samples.size(), "");
        Scored best = null;
        int bestIndex = -1;
        for (int d = 0; d < decoders.size(); d++) {
            Scored s = score("tuning", all.get(d), utterances);
            if (best == null || s.wordErrorRate() < best.wordErrorRate()
                    || (s.wordErrorRate() == best.wordErrorRate()
                    && s.characterErrorRate() < best.characterErrorRate())) {
                best = s;
                bestIndex = d;
            }
        }
        List<WordTimingError.Match> matches = matches(best.hypotheses(), utterances);
        // A model that reads no word right has no offsets to fit: its offset errors are NaN, as is their mean.
        double[] offsets = matches.isEmpty() ? new double[]{Double.NaN, Double.NaN}
                : WordTimingError.medianOffsets(matches);
        return new Tuning(alphas[bestIndex / betas.length], betas[bestIndex % betas.length], best.wordErrorRate(),
                samples.size(), offsets[0], offsets[1]);
    }

    /** Transcribes {@code samples} with the three decoders and times the word-model words. */
    Report evaluate(List<SpeechSample> samples, List<Utterance> utterances, Tuning tuning) {
        ProgressBar bar = ProgressBar.onStdout("asr held-out", samples.size());
        List<List<CtcHypothesis>> all = recognizer.decode(samples,
                List.of(new CtcGreedyDecoder(), beam(), withWordModel(tuning.alpha(), tuning.beta())), 64,
                done -> bar.update(done, ""));
        bar.finish(samples.size(), "");
        Scored greedy = score("greedy", all.get(0), utterances);
        Scored beam = score("beam", all.get(1), utterances);
        Scored lm = score("beam+word LM", all.get(2), utterances);
        List<WordTimingError.Match> matches = matches(lm.hypotheses(), utterances);
        return new Report(greedy, beam, lm, WordTimingError.errors(matches, 0, 0),
                WordTimingError.errors(matches, tuning.startOffset(), tuning.endOffset()), matches.size());
    }

    private Scored score(String name, List<CtcHypothesis> hypotheses, List<Utterance> utterances) {
        List<String> texts = new ArrayList<>();
        List<String> truths = new ArrayList<>();
        for (int i = 0; i < hypotheses.size(); i++) {
            texts.add(recognizer.vocabulary().decode(hypotheses.get(i).labels()));
            truths.add(utterances.get(i).text());
        }
        CtcEvaluation evaluation = new CtcEvaluation(recognizer.vocabulary());
        evaluation.evalTexts(truths, texts);
        return new Scored(name, evaluation.wordErrorRate(), evaluation.characterErrorRate(), hypotheses, texts);
    }

    private List<WordTimingError.Match> matches(List<CtcHypothesis> hypotheses, List<Utterance> utterances) {
        List<WordTimingError.Match> matches = new ArrayList<>();
        for (int i = 0; i < hypotheses.size(); i++) {
            List<TimedWord> predicted = recognizer.words(hypotheses.get(i)).stream()
                    .map(SpeechRecognizer.Word::timed).toList();
            matches.addAll(WordTimingError.matches(utterances.get(i).words(), predicted));
        }
        return matches;
    }
}
