package io.github.dl4jctc.zoo.util;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wrapper's contract; drawing itself is the library's. */
class ProgressBarTest {

    @Test
    void lineModePrintsNewLinesEndingWithTheFinalStateAndStatus() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("train", 200, new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
                3600);
        bar.update(50, "loss 1.250");
        bar.finish(200, "loss 0.500");
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("train") && last.contains("100%") && last.contains("200/200")
                && last.contains("loss 0.500"), last);
        assertFalse(text.contains("\r"), "a log gets whole lines");
        assertTrue(lines.length <= 3, "the first and the final state at most, within the interval: " + text);
    }

    @Test
    void rejectsProgressOutsideTheTotal() {
        ProgressBar bar = new ProgressBar("x", 10, new PrintStream(new ByteArrayOutputStream()), false, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bar.update(11, ""));
        assertTrue(e.getMessage().contains("[0, 10]") && e.getMessage().contains("11"), e.getMessage());
        bar.finish(10, "");
        assertThrows(IllegalArgumentException.class,
                () -> new ProgressBar("x", 0, System.out, true, 1));
    }

    @Test
    void formatsDurations() {
        assertEquals("00:00", ProgressBar.formatDuration(0));
        assertEquals("01:05", ProgressBar.formatDuration(64.6));
        assertEquals("2:00:00", ProgressBar.formatDuration(7200));
    }
}
