package io.github.dl4jctc.zoo.ocr;

import java.awt.Font;

/**
 * The look of one rendered text line (drawn by {@link LineAugmentation#sample}).
 *
 * @param font             font family and style (its size is ignored)
 * @param fontSize         font size as a fraction of the image height
 * @param tracking         extra space between all letters, in em
 * @param kerningJitter    amplitude of per-gap random extra space, in em
 * @param rotationDegrees  rotation about the line's centre
 * @param shear            horizontal shear about the baseline (negative leans the tops right)
 * @param verticalPosition where the ink sits in the free vertical space: 0 = top, 1 = bottom
 * @param leftMargin       blank pixels before the first letter
 * @param rightMargin      blank pixels after the last letter
 * @param blurSigma        Gaussian blur sigma in pixels (0 = none)
 * @param noiseSigma       per-pixel Gaussian noise sigma in grey levels of [0, 1]
 * @param paper            paper brightness in [0, 1]
 * @param inkBrightness    ink brightness in [0, 1]
 */
public record LineStyle(Font font, double fontSize, double tracking, double kerningJitter, double rotationDegrees,
                        double shear, double verticalPosition, int leftMargin, int rightMargin, double blurSigma,
                        double noiseSigma, double paper, double inkBrightness) {
}
