package io.github.dl4jctc.zoo.asr;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes WAV files as mono float samples. */
public final class WavFiles {

    private WavFiles() {
    }

    /**
     * Reads a PCM WAV file (8, 16, 24 or 32 bit integer or 32 bit float, any channel count and rate), mixes the
     * channels down to mono and resamples to {@code sampleRate}.
     *
     * @return samples in [-1, 1] at {@code sampleRate} Hz
     * @throws IllegalArgumentException if the file is not a WAV file Java can decode to PCM
     */
    public static float[] read(Path file, int sampleRate) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("WAV: got " + file + ", expected an existing file");
        }
        try (AudioInputStream raw = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat source = raw.getFormat();
            // Let Java Sound decode to 16-bit signed little-endian PCM, keeping the rate and channels.
            AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, source.getSampleRate(), 16,
                    source.getChannels(), 2 * source.getChannels(), source.getSampleRate(), false);
            try (AudioInputStream decoded = AudioSystem.getAudioInputStream(pcm, raw)) {
                byte[] bytes = decoded.readAllBytes();
                int channels = source.getChannels();
                int frames = bytes.length / (2 * channels);
                float[] mono = new float[frames];
                for (int i = 0; i < frames; i++) {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) {
                        int offset = 2 * (i * channels + c);
                        sum += (short) ((bytes[offset + 1] << 8) | (bytes[offset] & 0xff)) / 32768f;
                    }
                    mono[i] = sum / channels;
                }
                return Resampler.resample(mono, source.getSampleRate(), sampleRate);
            }
        } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
            throw new IllegalArgumentException("WAV: got " + file + ", expected a WAV file Java can decode to PCM ("
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes mono samples in [-1, 1] as a 16-bit PCM WAV file (values outside are clipped). */
    public static void write(float[] samples, int sampleRate, Path file) {
        byte[] bytes = new byte[2 * samples.length];
        for (int i = 0; i < samples.length; i++) {
            int v = (int) Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767);
            bytes[2 * i] = (byte) v;
            bytes[2 * i + 1] = (byte) (v >> 8);
        }
        AudioFormat format = new AudioFormat(sampleRate, 16, 1, true, false);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(bytes), format, samples.length),
                    AudioFileFormat.Type.WAVE, file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
