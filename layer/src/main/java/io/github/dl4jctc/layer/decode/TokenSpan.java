package io.github.dl4jctc.layer.decode;

import java.io.Serializable;

/**
 * Where one token of a labelling was emitted: frames {@code [startFrame, endFrame)} of the sample (the frames whose
 * path carries this token, repeats included, blanks excluded), as torchaudio's {@code merge_tokens} gives them.
 *
 * <p>{@code score} is the mean, over the span's frames, of the probability of the token at each frame (torchaudio's
 * {@code merge_tokens} applied to the exponentiated scores of {@code forced_align}): in [0, 1] when the frames are
 * probability distributions. For a decoder's hypothesis it is the token's confidence, defined in
 * {@link TokenSpans}.
 *
 * <p>Frames become time (or image position) with {@link #startTime} and {@link #endTime}: frame t covers
 * {@code [t * frameDuration, (t + 1) * frameDuration)}, where {@code frameDuration} is the model's frame step in
 * seconds (e.g. hop length x downsampling / sample rate) or in pixels (image width / T for OCR).
 *
 * @param token      class index
 * @param startFrame first frame, inclusive
 * @param endFrame   last frame, exclusive ({@code > startFrame})
 * @param score      mean frame probability of the token over the span (the token's confidence)
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

    /**
     * @param frameDuration seconds (or pixels) per frame, finite and {@code > 0}
     * @return {@code startFrame * frameDuration}, where the span begins
     */
    public double startTime(double frameDuration) {
        return startFrame * checkedDuration(frameDuration);
    }

    /**
     * @param frameDuration seconds (or pixels) per frame, finite and {@code > 0}
     * @return {@code endFrame * frameDuration}, where the span ends (exclusive)
     */
    public double endTime(double frameDuration) {
        return endFrame * checkedDuration(frameDuration);
    }

    static double checkedDuration(double frameDuration) {
        if (!(frameDuration > 0) || frameDuration == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("frameDuration: got " + frameDuration
                    + ", expected a finite duration (or width) per frame > 0");
        }
        return frameDuration;
    }
}
