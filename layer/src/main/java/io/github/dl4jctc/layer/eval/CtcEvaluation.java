package io.github.dl4jctc.layer.eval;

import io.github.dl4jctc.layer.CtcMasks;
import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.decode.CtcDecoder;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import io.github.dl4jctc.layer.decode.CtcHypothesis;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.evaluation.BaseEvaluation;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.IMetric;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates a CTC output layer: decodes its per-frame probabilities and compares the text with the labels.
 *
 * <p>Metrics, accumulated over all sequences seen (and over {@link #merge}d evaluations):
 * <ul>
 *   <li>character error rate (CER) = total Levenshtein distance between the characters (code points, spaces
 *       included) of reference and hypothesis / total reference characters;</li>
 *   <li>word error rate (WER) = the same over whitespace-separated words;</li>
 *   <li>sequence accuracy = sequences decoded exactly / sequences.</li>
 * </ul>
 * A rate is NaN while its denominator is 0. Decoding is greedy ({@link CtcGreedyDecoder}) unless another
 * {@link CtcDecoder} is given, e.g. a {@code CtcBeamSearchDecoder}.
 *
 * <h2>Use with {@code doEvaluation}</h2>
 * {@code net.doEvaluation(iterator, new CtcEvaluation(vocab))} (MultiLayerNetwork or ComputationGraph) calls
 * {@link #eval(INDArray, INDArray, INDArray, List)} with the DataSet's labels {@code [N, S]} (or {@code [N, 1, S]}),
 * the network output {@code [N, C, T]} (NCW) or {@code [N, T, C]} (NWC, as the decoder's format says), and the
 * <em>labels</em> mask {@code [N, S]}. The features mask is not passed: DL4J 1.0.0-M2.1
 * ({@code MultiLayerNetwork.doEvaluationHelper}: {@code evaluation.eval(labels, out, lMask, meta)};
 * {@code ComputationGraph.doEvaluationHelper}: {@code eval(currLabel, currOut, next.getLabelsMaskArray(i), meta)})
 * uses the features mask only for the forward pass. So the frame count of each sample is read from the output
 * itself: trailing frames whose probabilities are all 0 are padding. That is exact when the output layer zeroes
 * masked frames (as DL4J's RnnOutputLayer does with its mask), because a softmax frame never sums to 0; if the
 * layer does not zero them, all T frames are decoded. To pass the features mask explicitly, call
 * {@link #evalWithFeaturesMask}. Truncated BPTT evaluation (which cuts labels per time segment) is not meaningful
 * for CTC and not supported.
 *
 * <h2>Serialisation</h2>
 * {@link #toJson()} / {@code BaseEvaluation.fromJson(json, CtcEvaluation.class)} round-trip the vocabulary, the
 * decoder (with a {@code CharNGramLanguageModel}, whose counts can make the JSON large) and all counts; a custom
 * {@code CtcLanguageModel} must itself be Jackson-serialisable for that. Java serialisation works likewise.
 */
public class CtcEvaluation extends BaseEvaluation<CtcEvaluation> {

    private static final long serialVersionUID = 1L;
    private static final int MAX_EXAMPLES = 5;

    /** The metrics for {@link #getValue(IMetric)}, e.g. as the score of DL4J early stopping. */
    public enum Metric implements IMetric {
        CHARACTER_ERROR_RATE, WORD_ERROR_RATE, SEQUENCE_ACCURACY;

        @Override
        public Class<? extends IEvaluation> getEvaluationClass() {
            return CtcEvaluation.class;
        }

        @Override
        public boolean minimize() {
            return this != SEQUENCE_ACCURACY;
        }
    }

    private CtcVocabulary vocabulary;
    private CtcDecoder decoder;
    private long sequences;
    private long exactMatches;
    private long characterEdits;
    private long referenceCharacters;
    private long wordEdits;
    private long referenceWords;
    /** The first few mismatches, as "reference" and "hypothesis" pairs, for {@link #stats()}. */
    private List<String> exampleReferences = new ArrayList<>();
    private List<String> exampleHypotheses = new ArrayList<>();

    private CtcEvaluation() {
        // for Jackson
    }

    /** Greedy decoding of NCW output {@code [N, C, T]}, blank = the vocabulary's blank. */
    public CtcEvaluation(CtcVocabulary vocabulary) {
        this(vocabulary, RNNFormat.NCW);
    }

    /** Greedy decoding of output in the given layout (NCW {@code [N, C, T]} or NWC {@code [N, T, C]}). */
    public CtcEvaluation(CtcVocabulary vocabulary, RNNFormat format) {
        this(vocabulary, new CtcGreedyDecoder(requireVocabulary(vocabulary).blankIndex(), format));
    }

    /**
     * @param vocabulary maps class indices to text; its size must be the output's C
     * @param decoder    any decoder with the vocabulary's blank index; its format is the output layout
     * @throws IllegalArgumentException if the blank indices differ
     */
    public CtcEvaluation(CtcVocabulary vocabulary, CtcDecoder decoder) {
        this.vocabulary = requireVocabulary(vocabulary);
        if (decoder == null) {
            throw new IllegalArgumentException("decoder: got null, expected a CtcDecoder such as CtcGreedyDecoder");
        }
        this.decoder = decoder;
        if (decoder.blankIndex() != vocabulary.blankIndex()) {
            throw new IllegalArgumentException("decoder: got blankIndex " + decoder.blankIndex() + " (" + decoder
                    + "), expected the vocabulary's blank index " + vocabulary.blankIndex());
        }
    }

    /**
     * The {@code doEvaluation} entry point (see the class comment).
     *
     * @param labels             {@code [N, S]} or {@code [N, 1, S]} class indices
     * @param networkPredictions {@code [N, C, T]} (NCW) or {@code [N, T, C]} (NWC) per-frame probabilities; trailing
     *                           all-zero frames are taken as masked
     * @param maskArray          the labels mask {@code [N, S]}, or null for all S
     * @param recordMetaData     ignored
     */
    @Override
    public void eval(INDArray labels, INDArray networkPredictions, INDArray maskArray,
                     List<? extends Serializable> recordMetaData) {
        checkPredictions(networkPredictions);
        evalChecked(labels, networkPredictions, maskArray,
                CtcMasks.ofUsedFrames(networkPredictions, decoder.format()));
    }

    /**
     * Like {@link #eval(INDArray, INDArray, INDArray, List)}, with the frame counts given by the features mask.
     *
     * @param labels        {@code [N, S]} or {@code [N, 1, S]} class indices
     * @param probabilities {@code [N, C, T]} (NCW) or {@code [N, T, C]} (NWC) per-frame probabilities
     * @param labelsMask    {@code [N, S]} prefix mask, or null for all S
     * @param featuresMask  {@code [N, T]} prefix mask, or null for all T
     */
    public void evalWithFeaturesMask(INDArray labels, INDArray probabilities, INDArray labelsMask,
                                     INDArray featuresMask) {
        checkPredictions(probabilities);
        evalChecked(labels, probabilities, labelsMask, featuresMask);
    }

    private void evalChecked(INDArray labels, INDArray probabilities, INDArray labelsMask, INDArray featuresMask) {
        if (labels == null || labels.rank() < 2 || labels.size(0) != probabilities.size(0)) {
            throw new IllegalArgumentException("labels: got "
                    + (labels == null ? "null" : "shape " + Arrays.toString(labels.shape()))
                    + ", expected [N, S] or [N, 1, S] with N = " + probabilities.size(0)
                    + " (the predictions' minibatch size)");
        }
        List<String> references = vocabulary.fromLabels(labels, labelsMask);
        List<String> hypotheses = new ArrayList<>(references.size());
        for (CtcHypothesis hypothesis : decoder.decode(probabilities, featuresMask)) {
            hypotheses.add(vocabulary.decode(hypothesis.labels()));
        }
        evalTexts(references, hypotheses);
    }

    /**
     * Counts already decoded text: reference i against hypothesis i.
     *
     * @throws IllegalArgumentException if a list or text is null or the lists differ in size (nothing is counted then)
     */
    public void evalTexts(List<String> references, List<String> hypotheses) {
        if (references == null || hypotheses == null) {
            throw new IllegalArgumentException((references == null ? "references" : "hypotheses")
                    + ": got null, expected a list of texts");
        }
        if (references.size() != hypotheses.size()) {
            throw new IllegalArgumentException("hypotheses: got " + hypotheses.size() + " texts, expected "
                    + references.size() + " (as many as references)");
        }
        // All checked before anything is counted: a refused call leaves the evaluation as it was.
        for (int i = 0; i < references.size(); i++) {
            if (references.get(i) == null || hypotheses.get(i) == null) {
                throw new IllegalArgumentException((references.get(i) == null ? "references[" : "hypotheses[") + i
                        + "]: got null, expected a text (\"\" for none)");
            }
        }
        for (int i = 0; i < references.size(); i++) {
            String reference = references.get(i);
            String hypothesis = hypotheses.get(i);
            List<Integer> referenceChars = EditDistance.characters(reference);
            List<String> referenceWordList = EditDistance.words(reference);
            sequences++;
            characterEdits += EditDistance.between(referenceChars, EditDistance.characters(hypothesis));
            referenceCharacters += referenceChars.size();
            wordEdits += EditDistance.between(referenceWordList, EditDistance.words(hypothesis));
            referenceWords += referenceWordList.size();
            if (reference.equals(hypothesis)) {
                exactMatches++;
            } else {
                addExample(reference, hypothesis);
            }
        }
    }

    /** DL4J's time-series entry point: the same as {@link #eval(INDArray, INDArray, INDArray)} for CTC. */
    @Override
    public void evalTimeSeries(INDArray labels, INDArray predictions, INDArray labelsMask) {
        eval(labels, predictions, labelsMask, null);
    }

    @Override
    public void merge(CtcEvaluation other) {
        if (other == null) {
            return;
        }
        sequences += other.sequences;
        exactMatches += other.exactMatches;
        characterEdits += other.characterEdits;
        referenceCharacters += other.referenceCharacters;
        wordEdits += other.wordEdits;
        referenceWords += other.referenceWords;
        for (int i = 0; i < other.exampleReferences.size(); i++) {
            addExample(other.exampleReferences.get(i), other.exampleHypotheses.get(i));
        }
    }

    @Override
    public void reset() {
        sequences = 0;
        exactMatches = 0;
        characterEdits = 0;
        referenceCharacters = 0;
        wordEdits = 0;
        referenceWords = 0;
        exampleReferences.clear();
        exampleHypotheses.clear();
    }

    @Override
    public CtcEvaluation newInstance() {
        return new CtcEvaluation(vocabulary, decoder);
    }

    @Override
    public double getValue(IMetric metric) {
        if (!(metric instanceof Metric)) {
            throw new IllegalArgumentException("metric: got " + metric + ", expected a CtcEvaluation.Metric");
        }
        switch ((Metric) metric) {
            case CHARACTER_ERROR_RATE: return characterErrorRate();
            case WORD_ERROR_RATE: return wordErrorRate();
            default: return sequenceAccuracy();
        }
    }

    /** @return character edits / reference characters, NaN before any reference character */
    public double characterErrorRate() {
        return ratio(characterEdits, referenceCharacters);
    }

    /** @return word edits / reference words, NaN before any reference word */
    public double wordErrorRate() {
        return ratio(wordEdits, referenceWords);
    }

    /** @return exactly decoded sequences / sequences, NaN before any sequence */
    public double sequenceAccuracy() {
        return ratio(exactMatches, sequences);
    }

    public long sequences() {
        return sequences;
    }

    public long exactMatches() {
        return exactMatches;
    }

    public long characterEdits() {
        return characterEdits;
    }

    public long referenceCharacters() {
        return referenceCharacters;
    }

    public long wordEdits() {
        return wordEdits;
    }

    public long referenceWords() {
        return referenceWords;
    }

    public CtcVocabulary vocabulary() {
        return vocabulary;
    }

    public CtcDecoder decoder() {
        return decoder;
    }

    @Override
    public String stats() {
        StringBuilder sb = new StringBuilder();
        sb.append("========================== CTC Evaluation ==========================\n");
        sb.append(String.format(" Decoder:              %s%n", decoder));
        sb.append(String.format(" Sequences:            %d%n", sequences));
        sb.append(String.format(" Sequence accuracy:    %.4f  (%d exact)%n", sequenceAccuracy(), exactMatches));
        sb.append(String.format(" Character error rate: %.4f  (%d edits / %d reference characters)%n",
                characterErrorRate(), characterEdits, referenceCharacters));
        sb.append(String.format(" Word error rate:      %.4f  (%d edits / %d reference words)%n",
                wordErrorRate(), wordEdits, referenceWords));
        if (!exampleReferences.isEmpty()) {
            sb.append(" First mismatches (reference -> hypothesis):\n");
            for (int i = 0; i < exampleReferences.size(); i++) {
                sb.append("   \"").append(exampleReferences.get(i)).append("\" -> \"")
                        .append(exampleHypotheses.get(i)).append("\"\n");
            }
        }
        sb.append("====================================================================");
        return sb.toString();
    }

    private void checkPredictions(INDArray predictions) {
        RNNFormat format = decoder.format();
        if (predictions == null || predictions.rank() != 3) {
            throw new IllegalArgumentException("networkPredictions: got "
                    + (predictions == null ? "null" : "shape " + Arrays.toString(predictions.shape()))
                    + ", expected rank 3 " + (format == RNNFormat.NCW ? "[N, C, T]" : "[N, T, C]") + " (" + format
                    + ")");
        }
        long classes = predictions.size(format == RNNFormat.NCW ? 1 : 2);
        if (classes != vocabulary.size()) {
            throw new IllegalArgumentException("networkPredictions: got C = " + classes + " in shape "
                    + Arrays.toString(predictions.shape()) + " (" + format + "), expected C = vocabulary.size() = "
                    + vocabulary.size() + " classes");
        }
    }

    private static CtcVocabulary requireVocabulary(CtcVocabulary vocabulary) {
        if (vocabulary == null) {
            throw new IllegalArgumentException("vocabulary: got null, expected the CtcVocabulary of the output layer");
        }
        return vocabulary;
    }

    private void addExample(String reference, String hypothesis) {
        if (exampleReferences.size() < MAX_EXAMPLES) {
            exampleReferences.add(reference);
            exampleHypotheses.add(hypothesis);
        }
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    /** Compares the vocabulary and all counts; the decoder is left out (decoders have no value equality). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CtcEvaluation)) {
            return false;
        }
        CtcEvaluation other = (CtcEvaluation) o;
        return sequences == other.sequences && exactMatches == other.exactMatches
                && characterEdits == other.characterEdits && referenceCharacters == other.referenceCharacters
                && wordEdits == other.wordEdits && referenceWords == other.referenceWords
                && Objects.equals(vocabulary, other.vocabulary)
                && Objects.equals(exampleReferences, other.exampleReferences)
                && Objects.equals(exampleHypotheses, other.exampleHypotheses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vocabulary, sequences, exactMatches, characterEdits, referenceCharacters, wordEdits,
                referenceWords, exampleReferences, exampleHypotheses);
    }
}
