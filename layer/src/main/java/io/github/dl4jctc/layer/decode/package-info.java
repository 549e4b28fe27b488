/**
 * Decoding the output of a CTC layer, per-frame class probabilities {@code [N, C, T]} (NCW) or {@code [N, T, C]}
 * (NWC) with an optional features mask {@code [N, T]}, into labellings, and aligning known labellings to frames.
 *
 * <ul>
 *   <li>{@link io.github.dl4jctc.layer.decode.CtcGreedyDecoder}: best path, fast; also from {@code float[][]}
 *       log-probabilities and chunk by chunk ({@link io.github.dl4jctc.layer.decode.CtcGreedyStream}).</li>
 *   <li>{@link io.github.dl4jctc.layer.decode.CtcBeamSearchDecoder}: prefix beam search, n-best, optional
 *       {@link io.github.dl4jctc.layer.decode.CtcLanguageModel} such as
 *       {@link io.github.dl4jctc.layer.decode.CharNGramLanguageModel}, a word n-gram model
 *       ({@link io.github.dl4jctc.layer.decode.WordLanguageModel}: ARPA read/write, modified Kneser-Ney estimation),
 *       a lexicon and hotwords; also from log-probabilities (TNC/NTC or {@code float[][]}) and chunk by chunk
 *       ({@link io.github.dl4jctc.layer.decode.CtcBeamSearchStream}).</li>
 *   <li>{@link io.github.dl4jctc.layer.decode.CtcForcedAligner}: batched forced alignment (torchaudio's
 *       {@code forced_align} + {@code merge_tokens}) giving {@link io.github.dl4jctc.layer.decode.CtcAlignment}s.</li>
 * </ul>
 * Decoders return {@link io.github.dl4jctc.layer.decode.CtcHypothesis} objects (class indices + natural-log score +
 * one {@link io.github.dl4jctc.layer.decode.TokenSpan} per label: frames and confidence, defined in
 * {@link io.github.dl4jctc.layer.decode.TokenSpans}; words as {@link io.github.dl4jctc.layer.decode.WordSpan});
 * {@link io.github.dl4jctc.layer.CtcVocabulary#decode} turns the indices into text. Decoders are immutable and can be
 * shared between threads.
 */
package io.github.dl4jctc.layer.decode;
