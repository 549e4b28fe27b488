package io.github.dl4jctc.zoo.asr;

/**
 * How one utterance is spoken and degraded (drawn by {@link SpeechAugmentation#sample}).
 *
 * @param rateWpm       speaking rate, words per minute
 * @param pitchHz       mean pitch, Hz
 * @param pitchRange    pitch variation, Hz
 * @param speed         resampling factor applied after synthesis (1 = none)
 * @param leadSilence   seconds of silence before the speech
 * @param trailSilence  seconds of silence after the speech
 * @param snrDb         signal-to-noise ratio, dB
 * @param brownFraction share of low-pass noise in the noise power, in [0, 1] (the rest is white)
 */
public record SpeechStyle(double rateWpm, double pitchHz, double pitchRange, double speed, double leadSilence,
                          double trailSilence, double snrDb, double brownFraction) {
}
