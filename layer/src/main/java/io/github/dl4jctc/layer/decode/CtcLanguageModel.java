package io.github.dl4jctc.layer.decode;

import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

import java.io.Serializable;

/**
 * A label-level language model for {@link CtcBeamSearchDecoder}: scores each label the search appends to a prefix.
 *
 * <p>Labels are class indices of the CTC output (the blank never appears). The beam search adds
 * {@code weight * logProbability(prefix, next) + insertionBonus} to a hypothesis's score each time it appends a
 * label; implementations must be deterministic (the same prefix and label always give the same value) and
 * serialisable.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
public interface CtcLanguageModel extends Serializable {

    /**
     * @param prefix    the labels so far (not to be modified), possibly empty
     * @param nextLabel the label being appended, a class index other than the blank
     * @return ln P(nextLabel | prefix), not NaN
     */
    double logProbability(int[] prefix, int nextLabel);
}
