package io.github.dl4jctc.zoo.util;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void rendersPercentElapsedEtaAndStatus() {
        AtomicLong clock = new AtomicLong(5 * SECOND);
        ProgressBar bar = new ProgressBar("train", 200, new PrintStream(new ByteArrayOutputStream()), true, 0,
                clock::get);
        // 50 of 200 done after 30 s: 150 left at 0.6 s each = 90 s.
        String line = bar.render(50, "loss 1.250", 35 * SECOND);
        assertTrue(line.startsWith("train [=======>"), line);
        assertTrue(line.contains(" 25%  50/200  00:30 ETA 01:30  loss 1.250"), line);
    }

    @Test
    void etaIsUnknownBeforeAnyProgressAndBarIsFullAtTheEnd() {
        AtomicLong clock = new AtomicLong(0);
        ProgressBar bar = new ProgressBar("x", 10, new PrintStream(new ByteArrayOutputStream()), true, 0, clock::get);
        assertTrue(bar.render(0, "", 3 * SECOND).contains("ETA --:--"));
        String done = bar.render(10, "", 3725 * SECOND);
        assertTrue(done.contains("[" + "=".repeat(30) + "] 100%  10/10  1:02:05 ETA 00:00"), done);
    }

    @Test
    void lineModePrintsAtMostOneLinePerIntervalPlusTheFinalLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong(0);
        ProgressBar bar = new ProgressBar("x", 100, new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 10,
                clock::get);
        for (int done = 1; done <= 100; done++) {
            clock.addAndGet(SECOND);   // 100 s in all: lines at 1 s, 11 s, ..., 91 s
            bar.update(done, "");
        }
        bar.finish(100, "end");
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(11, lines.length);
        assertTrue(lines[10].contains("100%") && lines[10].endsWith("end"), lines[10]);
        assertTrue(!bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void inPlaceModeRedrawsWithCarriageReturnAndPadsShorterLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong(0);
        ProgressBar bar = new ProgressBar("x", 10, new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 0,
                clock::get);
        bar.update(1, "a long status text");
        clock.addAndGet(SECOND);
        bar.update(2, "short");
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] draws = text.split("\r");
        assertEquals(3, draws.length);      // "", first draw, second draw
        assertEquals(draws[1].length(), draws[2].length(), "second draw must cover the first");
    }

    @Test
    void rejectsProgressOutsideTheTotal() {
        ProgressBar bar = new ProgressBar("x", 10, new PrintStream(new ByteArrayOutputStream()), true, 0, () -> 0L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bar.update(11, ""));
        assertTrue(e.getMessage().contains("[0, 10]") && e.getMessage().contains("11"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ProgressBar("x", 0, System.out, true, 0, () -> 0L));
    }

    @Test
    void formatsDurations() {
        assertEquals("00:00", ProgressBar.formatDuration(0));
        assertEquals("01:05", ProgressBar.formatDuration(64.6));
        assertEquals("2:00:00", ProgressBar.formatDuration(7200));
    }
}
