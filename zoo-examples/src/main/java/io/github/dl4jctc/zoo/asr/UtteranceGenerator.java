package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.zoo.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * An endless, reproducible stream of synthetic utterances: utterance {@code i} depends only on the seed and
 * {@code i} (text, prosody, speed, silence and noise all come from its own random generator).
 */
public final class UtteranceGenerator {

    private final FreeTtsSynthesizer synthesizer;
    private final SpokenText texts;
    private final SpeechAugmentation augmentation;
    private final long seed;

    public UtteranceGenerator(FreeTtsSynthesizer synthesizer, SpokenText texts, SpeechAugmentation augmentation,
                              long seed) {
        this.synthesizer = synthesizer;
        this.texts = texts;
        this.augmentation = augmentation;
        this.seed = seed;
    }

    /** @return utterance number {@code index} of this stream */
    public Utterance utterance(long index) {
        SplittableRandom random = Seeds.forItem(seed, index);
        String text = texts.next(random);
        SpeechStyle style = augmentation.sample(random);
        return render(text, style, random);
    }

    /** @return the transcript of utterance {@code index}, without synthesising it (the text is drawn first) */
    public String text(long index) {
        return texts.next(Seeds.forItem(seed, index));
    }

    /** @return utterances {@code first .. first + count - 1} */
    public List<Utterance> utterances(long first, int count) {
        List<Utterance> utterances = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            utterances.add(utterance(first + i));
        }
        return utterances;
    }

    /**
     * Synthesises {@code text} in {@code style}: speech, speed change, silence padding, noise. The word times move
     * with the audio: divided by the speed, then delayed by the leading silence.
     */
    Utterance render(String text, SpeechStyle style, RandomGenerator random) {
        int rate = FreeTtsSynthesizer.SAMPLE_RATE;
        FreeTtsSynthesizer.Speech spoken = synthesizer.synthesizeWords(text, style.rateWpm(), style.pitchHz(),
                style.pitchRange());
        // Played back 'speed' times faster: read as if recorded at rate * speed, then resampled to rate.
        float[] speech = Resampler.resample(spoken.samples(), rate * style.speed(), rate);
        int lead = (int) Math.round(style.leadSilence() * rate);
        int trail = (int) Math.round(style.trailSilence() * rate);
        float[] audio = new float[lead + speech.length + trail];
        System.arraycopy(speech, 0, audio, lead, speech.length);
        addNoise(audio, rms(speech) / Math.pow(10, style.snrDb() / 20), style.brownFraction(), random);
        List<TimedWord> words = new ArrayList<>();
        for (TimedWord word : spoken.words()) {
            words.add(word.transformed(1 / style.speed(), lead / (double) rate));
        }
        return new Utterance(text, audio, rate, List.copyOf(words));
    }

    /**
     * Adds noise of RMS {@code noiseRms}: {@code brownFraction} of its power is low-pass (brown-ish) noise from a
     * leaky integrator, the rest white.
     */
    static void addNoise(float[] audio, double noiseRms, double brownFraction, RandomGenerator random) {
        final double leak = 0.98;
        // A leaky integrator fed with unit white noise has variance 1 / (1 - leak^2): scale it back to 1.
        double brownScale = Math.sqrt(1 - leak * leak);
        double brownGain = noiseRms * Math.sqrt(brownFraction);
        double whiteGain = noiseRms * Math.sqrt(1 - brownFraction);
        double brown = random.nextGaussian() / brownScale;
        for (int i = 0; i < audio.length; i++) {
            brown = leak * brown + random.nextGaussian();
            audio[i] += (float) (whiteGain * random.nextGaussian() + brownGain * brownScale * brown);
        }
    }

    static double rms(float[] samples) {
        double sum = 0;
        for (float s : samples) {
            sum += s * s;
        }
        return samples.length == 0 ? 0 : Math.sqrt(sum / samples.length);
    }
}
