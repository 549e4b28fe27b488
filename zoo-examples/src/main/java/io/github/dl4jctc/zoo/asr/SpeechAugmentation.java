package io.github.dl4jctc.zoo.asr;

import java.util.random.RandomGenerator;

/**
 * How synthetic utterances vary: speaking rate and pitch (FreeTTS prosody), a speed change by resampling (which
 * also shifts the formants, a cheap stand-in for other speakers), leading and trailing silence, and noise at a
 * random signal-to-noise ratio, part white and part low-pass ("brown") noise.
 *
 * @param rateWpm      words per minute, uniform in {@code [min, max]}
 * @param pitchHz      mean pitch in Hz
 * @param pitchRange   pitch variation in Hz
 * @param speed        resampling factor (1.1 = 10% faster and higher)
 * @param silenceSec   silence added before and (drawn again) after the speech, in seconds
 * @param snrDb        signal-to-noise ratio in dB, measured against the speech's RMS
 */
public record SpeechAugmentation(Range rateWpm, Range pitchHz, Range pitchRange, Range speed, Range silenceSec,
                                 Range snrDb) {

    /** A closed interval {@code [min, max]}. */
    public record Range(double min, double max) {
        public Range {
            if (!(min <= max)) {
                throw new IllegalArgumentException("range: got [" + min + ", " + max + "], expected min <= max");
            }
        }

        double sample(RandomGenerator random) {
            return min == max ? min : min + (max - min) * random.nextDouble();
        }
    }

    /** The variation the speech example trains and evaluates with. */
    public static SpeechAugmentation defaults() {
        return new SpeechAugmentation(new Range(120, 200), new Range(80, 150), new Range(5, 25),
                new Range(0.9, 1.1), new Range(0.05, 0.4), new Range(8, 35));
    }

    /** FreeTTS's default voice, no speed change, 0.1 s of silence, almost no noise (for tests). */
    public static SpeechAugmentation none() {
        return new SpeechAugmentation(new Range(150, 150), new Range(100, 100), new Range(11, 11),
                new Range(1, 1), new Range(0.1, 0.1), new Range(80, 80));
    }

    /** Draws one utterance's style. */
    public SpeechStyle sample(RandomGenerator random) {
        return new SpeechStyle(rateWpm.sample(random), pitchHz.sample(random), pitchRange.sample(random),
                speed.sample(random), silenceSec.sample(random), silenceSec.sample(random), snrDb.sample(random),
                random.nextDouble());
    }
}
