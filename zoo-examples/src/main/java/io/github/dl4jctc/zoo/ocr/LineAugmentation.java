package io.github.dl4jctc.zoo.ocr;

import java.awt.Font;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The ranges a text line's appearance is drawn from; {@link #sample} draws one {@link LineStyle}. All ranges are
 * uniform and inclusive of their ends.
 *
 * @param fontSize       font size as a fraction of the image height (the ink of "Ag" spans about 1.0 of it)
 * @param tracking       extra space between all letters of a line, in em
 * @param kerningJitter  per-gap random extra space, uniform in {@code [-kerningJitter, +kerningJitter]} em
 * @param rotation       rotation in degrees, uniform in {@code [-rotation, +rotation]}
 * @param shear          horizontal shear (slant), uniform in {@code [-shear, +shear]}
 * @param margin         blank columns at each end, in pixels
 * @param blurSigma      Gaussian blur sigma in pixels
 * @param noiseSigma     per-pixel Gaussian noise sigma, in grey levels of {@code [0, 1]}
 * @param paper          paper brightness in {@code [0, 1]}
 * @param inkBrightness  ink brightness in {@code [0, 1]}
 */
public record LineAugmentation(Range fontSize, Range tracking, double kerningJitter, double rotation, double shear,
                               Range margin, Range blurSigma, Range noiseSigma, Range paper, Range inkBrightness) {

    /** A closed interval {@code [min, max]}. */
    public record Range(double min, double max) {
        public Range {
            if (!(min <= max)) {
                throw new IllegalArgumentException("range: got [" + min + ", " + max + "], expected min <= max");
            }
        }

        static Range of(double value) {
            return new Range(value, value);
        }

        double sample(RandomGenerator random) {
            return min == max ? min : min + (max - min) * random.nextDouble();
        }
    }

    /** The augmentation the OCR example trains and evaluates with. */
    public static LineAugmentation defaults() {
        return new LineAugmentation(new Range(0.66, 0.76), new Range(-0.02, 0.08), 0.04, 1.5, 0.25,
                new Range(1, 8), new Range(0, 1.1), new Range(0, 0.08), new Range(0.7, 1.0), new Range(0.0, 0.3));
    }

    /** Clean black-on-white text at one size and no distortion (for tests and for looking at glyphs). */
    public static LineAugmentation none() {
        return new LineAugmentation(Range.of(0.72), Range.of(0), 0, 0, 0, Range.of(4), Range.of(0), Range.of(0),
                Range.of(1), Range.of(0));
    }

    /** Draws one line's style: a font from {@code fonts} and a value from every range. */
    public LineStyle sample(List<Font> fonts, RandomGenerator random) {
        Font font = fonts.get(random.nextInt(fonts.size()));
        return new LineStyle(font, fontSize.sample(random), tracking.sample(random), kerningJitter,
                symmetric(rotation, random), symmetric(shear, random), random.nextDouble(),
                (int) Math.round(margin.sample(random)), (int) Math.round(margin.sample(random)),
                blurSigma.sample(random), noiseSigma.sample(random), paper.sample(random),
                inkBrightness.sample(random));
    }

    private static double symmetric(double amplitude, RandomGenerator random) {
        return amplitude == 0 ? 0 : amplitude * (2 * random.nextDouble() - 1);
    }
}
