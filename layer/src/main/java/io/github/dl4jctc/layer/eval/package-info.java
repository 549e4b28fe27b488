/**
 * Evaluating CTC models: {@link io.github.dl4jctc.layer.eval.CtcEvaluation} (character and word error rate,
 * sequence accuracy) plugs into DL4J's {@code doEvaluation}; {@link io.github.dl4jctc.layer.eval.EditDistance} holds
 * the Levenshtein distance it uses.
 */
package io.github.dl4jctc.layer.eval;
