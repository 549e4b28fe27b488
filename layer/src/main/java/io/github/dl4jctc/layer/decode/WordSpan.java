package io.github.dl4jctc.layer.decode;

import java.io.Serializable;

/**
 * One word of a labelling: a maximal run of tokens between word delimiters (e.g. the space class), and the frames
 * from its first token's start to its last token's end.
 *
 * <p>{@code confidence} is the lowest confidence ({@link TokenSpan#score()}) of its tokens: a word is as reliable as
 * its least reliable character. Times as in {@link TokenSpan}.
 *
 * @param firstToken index of the word's first token in the labelling (and in its span list)
 * @param endToken   index after the word's last token (exclusive, {@code > firstToken})
 * @param startFrame first frame of the first token, inclusive
 * @param endFrame   last frame of the last token, exclusive
 * @param confidence minimum of the tokens' confidences
 */
public record WordSpan(int firstToken, int endToken, int startFrame, int endFrame, double confidence)
        implements Serializable {

    /** @throws IllegalArgumentException if a range is empty or negative */
    public WordSpan {
        if (firstToken < 0 || endToken <= firstToken) {
            throw new IllegalArgumentException("firstToken, endToken: got [" + firstToken + ", " + endToken
                    + "), expected 0 <= firstToken < endToken");
        }
        if (startFrame < 0 || endFrame <= startFrame) {
            throw new IllegalArgumentException("startFrame, endFrame: got [" + startFrame + ", " + endFrame
                    + "), expected 0 <= startFrame < endFrame");
        }
    }

    /** @return the number of tokens of the word */
    public int tokens() {
        return endToken - firstToken;
    }

    /** @see TokenSpan#startTime(double) */
    public double startTime(double frameDuration) {
        return startFrame * TokenSpan.checkedDuration(frameDuration);
    }

    /** @see TokenSpan#endTime(double) */
    public double endTime(double frameDuration) {
        return endFrame * TokenSpan.checkedDuration(frameDuration);
    }
}
