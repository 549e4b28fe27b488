/**
 * The pre-flight data check: before training, {@link io.github.dl4jctc.layer.check.CtcDataCheck} runs over the
 * data with the network and reports what would make the CTC loss infinite or the training meaningless (examples
 * whose input is too short for their target, labels out of range or equal to the blank, empty targets), with each
 * example's index in the iterator's order, and how much room the data leaves (minimum slack, frames per label).
 */
package io.github.dl4jctc.layer.check;
