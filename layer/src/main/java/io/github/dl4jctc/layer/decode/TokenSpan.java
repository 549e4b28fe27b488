package io.github.dl4jctc.layer.decode;

import java.io.Serializable;

/**
 * Where one token of a labelling was emitted: frames {@code [startFrame, endFrame)} of the sample (the frames whose
 * best path carries this token, repeats included, blanks excluded), as torchaudio's {@code merge_tokens} gives them.
 *
 * <p>{@code score} is a probability-like number in [0, 1] or a log value, as the producer documents it (forced
 * alignment: the mean frame probability of the token over its span; decoders: the token's confidence).
 *
 * @param token      class index
 * @param startFrame first frame, inclusive
 * @param endFrame   last frame, exclusive ({@code > startFrame})
 * @param score      the producer's score of this token
 */
public record TokenSpan(int token, int startFrame, int endFrame, double score) implements Serializable {

    /**
     * @throws IllegalArgumentException if {@code token < 0}, {@code startFrame < 0} or {@code endFrame <= startFrame}
     */
    public TokenSpan {
        if (token < 0) {
            throw new IllegalArgumentException("token: got " + token + ", expected a class index >= 0");
        }
        if (startFrame < 0 || endFrame <= startFrame) {
            throw new IllegalArgumentException("startFrame, endFrame: got [" + startFrame + ", " + endFrame
                    + "), expected 0 <= startFrame < endFrame");
        }
    }

    /** @return the number of frames of the span */
    public int frames() {
        return endFrame - startFrame;
    }
}
