package io.github.dl4jctc.zoo.asr;

import com.sun.speech.freetts.Item;
import com.sun.speech.freetts.Relation;
import com.sun.speech.freetts.Utterance;
import com.sun.speech.freetts.UtteranceProcessor;
import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.VoiceManager;
import com.sun.speech.freetts.audio.AudioPlayer;

import javax.sound.sampled.AudioFormat;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Speech synthesis with FreeTTS and its bundled 16 kHz diphone voice {@code kevin16}, captured into memory.
 *
 * <p>FreeTTS normally plays audio through the sound card; here a capturing {@link AudioPlayer} collects the
 * samples instead, so this runs headless. Synthesis is deterministic: the same text and prosody give the same
 * samples. It is fast enough that nothing needs caching.
 *
 * <p>{@link #synthesizeWords} also gives where each word is: FreeTTS's {@code Segment} relation holds the end time
 * of every phone (feature {@code end}, seconds, after the rate's duration stretch), and its {@code SylStructure}
 * relation links each word to its syllables and their phones. The diphone audio starts at time 0 of that timeline
 * (the leading pause is audio) and stops a little into the trailing pause, so a word runs from the end of the phone
 * before it to the end of its last phone.
 *
 * <p>One instance holds one FreeTTS voice, which is not thread-safe: calls are synchronised.
 */
public final class FreeTtsSynthesizer implements AutoCloseable {

    /** Sample rate of {@code kevin16}. */
    public static final int SAMPLE_RATE = 16_000;

    private static final String VOICE = "kevin16";
    private static final String VOICE_DIRECTORY = "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory";

    private final Voice voice;
    private final CapturingPlayer player = new CapturingPlayer();
    /** The utterances of the current {@code speak} call, after FreeTTS's processors (durations set). */
    private final List<Utterance> spoken = new ArrayList<>();

    /**
     * Audio with the time of every word.
     *
     * @param samples mono samples at {@link #SAMPLE_RATE} Hz in [-1, 1]
     * @param words   the words in order, with start and end in seconds
     */
    public record Speech(float[] samples, List<TimedWord> words) {
    }

    /**
     * Loads and allocates the voice (about a third of a second).
     *
     * @throws IllegalStateException if FreeTTS does not find {@code kevin16} on the class path
     */
    public FreeTtsSynthesizer() {
        // FreeTTS finds voices through this system property; the directory class ships inside the freetts jar.
        String voices = System.getProperty("freetts.voices");
        if (voices == null || !voices.contains(VOICE_DIRECTORY)) {
            System.setProperty("freetts.voices", voices == null ? VOICE_DIRECTORY : voices + "," + VOICE_DIRECTORY);
        }
        Voice found = VoiceManager.getInstance().getVoice(VOICE);
        if (found == null) {
            throw new IllegalStateException("FreeTTS voice " + VOICE + " not found; is net.sf.sociaal:freetts:1.2.2"
                    + " on the class path?");
        }
        found.allocate();
        found.setAudioPlayer(player);
        // Runs after the voice's own processors (durations are set) and before its audio output.
        @SuppressWarnings("unchecked")
        List<UtteranceProcessor> processors = found.getUtteranceProcessors();
        processors.add(spoken::add);
        this.voice = found;
    }

    /**
     * @param text       words to say (plain lower-case words work best)
     * @param rateWpm    speaking rate in words per minute (FreeTTS default 150), in [50, 400]
     * @param pitchHz    mean pitch in Hz (default 100), in [50, 300]
     * @param pitchRange pitch variation in Hz (default 11), in [0, 100]
     * @return mono samples at {@link #SAMPLE_RATE} Hz in [-1, 1]
     */
    public synchronized float[] synthesize(String text, double rateWpm, double pitchHz, double pitchRange) {
        return synthesizeWords(text, rateWpm, pitchHz, pitchRange).samples();
    }

    /**
     * As {@link #synthesize}, with the time of every word (see the class comment).
     *
     * @return the samples and one {@link TimedWord} per word of {@code text}
     * @throws IllegalStateException if FreeTTS splits the text into several utterances or its words differ from
     *                               those of {@code text} (e.g. numerals it expands)
     */
    public synchronized Speech synthesizeWords(String text, double rateWpm, double pitchHz, double pitchRange) {
        requireRange("rateWpm", rateWpm, 50, 400);
        requireRange("pitchHz", pitchHz, 50, 300);
        requireRange("pitchRange", pitchRange, 0, 100);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text: got "
                    + (text == null ? "null" : "\"" + text + "\"") + ", expected at least one word");
        }
        voice.setRate((float) rateWpm);
        voice.setPitch((float) pitchHz);
        voice.setPitchRange((float) pitchRange);
        player.bytes.reset();
        spoken.clear();
        if (!voice.speak(text)) {
            throw new IllegalStateException("FreeTTS failed to speak \"" + text + "\"");
        }
        float[] samples = toFloats(player.bytes.toByteArray(), player.format);
        return new Speech(samples, wordTimes(text));
    }

    private List<TimedWord> wordTimes(String text) {
        if (spoken.size() != 1) {
            throw new IllegalStateException("FreeTTS spoke \"" + text + "\" as " + spoken.size()
                    + " utterances, expected one (word times are known within one utterance)");
        }
        Relation words = spoken.get(0).getRelation(Relation.WORD);
        List<TimedWord> timed = new ArrayList<>();
        for (Item word = words == null ? null : words.getHead(); word != null; word = word.getNext()) {
            Item structure = word.getItemAs(Relation.SYLLABLE_STRUCTURE);
            Item first = structure.getDaughter().getDaughter().getItemAs(Relation.SEGMENT);
            Item last = structure.getLastDaughter().getLastDaughter().getItemAs(Relation.SEGMENT);
            Item before = first.getPrevious();
            double start = before == null ? 0 : before.getFeatures().getFloat("end");
            timed.add(new TimedWord(word.getFeatures().getString("name"), start,
                    last.getFeatures().getFloat("end")));
        }
        List<String> expected = List.of(text.strip().split("\\s+"));
        if (!timed.stream().map(TimedWord::word).toList().equals(expected)) {
            throw new IllegalStateException("FreeTTS spoke the words " + timed.stream().map(TimedWord::word).toList()
                    + ", expected " + expected);
        }
        return List.copyOf(timed);
    }

    @Override
    public synchronized void close() {
        voice.deallocate();
    }

    private static float[] toFloats(byte[] bytes, AudioFormat format) {
        if (format == null || format.getSampleSizeInBits() != 16 || format.getChannels() != 1
                || format.getSampleRate() != SAMPLE_RATE) {
            throw new IllegalStateException("expected 16-bit mono " + SAMPLE_RATE + " Hz from FreeTTS, got " + format);
        }
        boolean bigEndian = format.isBigEndian();
        float[] samples = new float[bytes.length / 2];
        for (int i = 0; i < samples.length; i++) {
            int hi = bytes[2 * i + (bigEndian ? 0 : 1)];
            int lo = bytes[2 * i + (bigEndian ? 1 : 0)] & 0xff;
            samples[i] = (short) ((hi << 8) | lo) / 32768f;
        }
        return samples;
    }

    private static void requireRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + ": got " + value + ", expected a value in [" + min + ", " + max
                    + "]");
        }
    }

    /** Collects what FreeTTS would play. */
    private static final class CapturingPlayer implements AudioPlayer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AudioFormat format;

        @Override
        public void setAudioFormat(AudioFormat format) {
            this.format = format;
        }

        @Override
        public AudioFormat getAudioFormat() {
            return format;
        }

        @Override
        public boolean write(byte[] audioData) {
            bytes.write(audioData, 0, audioData.length);
            return true;
        }

        @Override
        public boolean write(byte[] audioData, int offset, int size) {
            bytes.write(audioData, offset, size);
            return true;
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public void reset() {
        }

        @Override
        public boolean drain() {
            return true;
        }

        @Override
        public void begin(int size) {
        }

        @Override
        public boolean end() {
            return true;
        }

        @Override
        public void cancel() {
        }

        @Override
        public void close() {
        }

        @Override
        public float getVolume() {
            return 1f;
        }

        @Override
        public void setVolume(float volume) {
        }

        @Override
        public long getTime() {
            return 0;
        }

        @Override
        public void resetTime() {
        }

        @Override
        public void startFirstSampleTimer() {
        }

        @Override
        public void showMetrics() {
        }
    }
}
