/**
 * Decoding the output of a CTC layer, per-frame class probabilities {@code [N, C, T]} (NCW) or {@code [N, T, C]}
 * (NWC) with an optional features mask {@code [N, T]}, into labellings.
 *
 * <ul>
 *   <li>{@link io.github.dl4jctc.layer.decode.CtcGreedyDecoder}: best path, fast.</li>
 *   <li>{@link io.github.dl4jctc.layer.decode.CtcBeamSearchDecoder}: prefix beam search, n-best, optional
 *       {@link io.github.dl4jctc.layer.decode.CtcLanguageModel} such as
 *       {@link io.github.dl4jctc.layer.decode.CharNGramLanguageModel}.</li>
 * </ul>
 * Both return {@link io.github.dl4jctc.layer.decode.CtcHypothesis} objects (class indices + natural-log score);
 * {@link io.github.dl4jctc.layer.CtcVocabulary#decode} turns the indices into text. Decoders are immutable and can be
 * shared between threads.
 */
package io.github.dl4jctc.layer.decode;
