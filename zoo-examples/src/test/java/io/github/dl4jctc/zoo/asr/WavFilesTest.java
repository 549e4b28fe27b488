package io.github.dl4jctc.zoo.asr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WavFilesTest {

    @Test
    void writesAndReadsBackSixteenBitAudioAndResamplesOtherRates(@TempDir Path dir) {
        float[] tone = new float[8000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 300 * i / 8000.0));
        }
        Path file = dir.resolve("tone.wav");
        WavFiles.write(tone, 8000, file);
        float[] same = WavFiles.read(file, 8000);
        assertEquals(8000, same.length);
        for (int i = 0; i < 8000; i += 101) {
            assertEquals(tone[i], same[i], 1.0 / 32767 + 1e-6);
        }
        float[] upsampled = WavFiles.read(file, 16_000);
        assertEquals(16_000, upsampled.length);
        for (int i = 2000; i < 14_000; i += 97) {
            assertEquals(0.5 * Math.sin(2 * Math.PI * 300 * i / 16_000.0), upsampled[i], 0.01);
        }
    }

    @Test
    void rejectsFilesThatAreNotAudio(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("not.wav");
        Files.writeString(text, "hello");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WavFiles.read(text, 16_000));
        assertTrue(e.getMessage().contains("not.wav"), e.getMessage());
    }
}
