package io.github.dl4jctc.zoo.util;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line text progress bar: {@code label [=====>    ]  45%  1234/2750  03:12 ETA 03:55  loss 0.412}.
 *
 * <p>On a terminal it redraws in place with a carriage return, a few times a second at most. When the output is
 * not a terminal (a log file, CI, a pipe) it prints the same line as a new line at most every
 * {@code lineIntervalSeconds}, so that logs stay short but still show progress, ETA and loss.
 *
 * <p>Not thread-safe: update it from one thread (DL4J calls training listeners from the training thread).
 */
public final class ProgressBar {

    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean inPlace;
    private final long lineIntervalNanos;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long lastDrawNanos;
    private boolean drawnOnce;
    private int lastLineLength;

    /**
     * @param label               what is running, e.g. "ocr train"
     * @param total               number of units of work (steps, samples), at least 1
     * @param out                 where to draw
     * @param inPlace             true to redraw one line with '\r' (a terminal), false to print new lines
     * @param lineIntervalSeconds without {@code inPlace}: minimum seconds between two printed lines
     * @param nanoClock           time source in nanoseconds ({@code System::nanoTime}; a fake one in tests)
     */
    public ProgressBar(String label, long total, PrintStream out, boolean inPlace, double lineIntervalSeconds,
                       LongSupplier nanoClock) {
        if (total < 1) {
            throw new IllegalArgumentException("total: got " + total + ", expected at least 1");
        }
        if (!(lineIntervalSeconds >= 0)) {
            throw new IllegalArgumentException("lineIntervalSeconds: got " + lineIntervalSeconds + ", expected >= 0");
        }
        this.label = label;
        this.total = total;
        this.out = out;
        this.inPlace = inPlace;
        this.lineIntervalNanos = (long) (lineIntervalSeconds * 1e9);
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** A bar on standard output: in place on a terminal, otherwise a line every 20 seconds. */
    public static ProgressBar onStdout(String label, long total) {
        return new ProgressBar(label, total, System.out, System.console() != null, 20, System::nanoTime);
    }

    /**
     * Records progress; draws if enough time has passed since the last drawing.
     *
     * @param done   units finished, in {@code [0, total]}
     * @param status short text shown after the ETA (e.g. "loss 0.412"), or empty
     */
    public void update(long done, String status) {
        checkDone(done);
        long now = nanoClock.getAsLong();
        long interval = inPlace ? REDRAW_NANOS : lineIntervalNanos;
        if (!drawnOnce || now - lastDrawNanos >= interval) {
            draw(render(done, status, now));
            lastDrawNanos = now;
            drawnOnce = true;
        }
    }

    /** Draws the final state and ends the line. */
    public void finish(long done, String status) {
        checkDone(done);
        draw(render(done, status, nanoClock.getAsLong()));
        if (inPlace) {
            out.println();
        }
        out.flush();
    }

    /** @return seconds since this bar was created */
    public double elapsedSeconds() {
        return (nanoClock.getAsLong() - startNanos) / 1e9;
    }

    /** The line for {@code done} units at clock time {@code nowNanos}. */
    String render(long done, String status, long nowNanos) {
        double fraction = (double) done / total;
        int filled = (int) Math.floor(fraction * BAR_WIDTH);
        StringBuilder bar = new StringBuilder(BAR_WIDTH);
        for (int i = 0; i < BAR_WIDTH; i++) {
            bar.append(i < filled ? '=' : (i == filled ? '>' : ' '));
        }
        if (done == total) {
            bar.setCharAt(BAR_WIDTH - 1, '=');
        }
        double elapsed = (nowNanos - startNanos) / 1e9;
        String eta = done == 0 ? "--:--" : formatDuration(elapsed * (total - done) / done);
        String line = String.format(Locale.ROOT, "%s [%s] %3d%%  %d/%d  %s ETA %s", label, bar,
                (int) Math.floor(fraction * 100), done, total, formatDuration(elapsed), eta);
        return status == null || status.isEmpty() ? line : line + "  " + status;
    }

    /** Formats seconds as {@code mm:ss}, or {@code h:mm:ss} from one hour on. */
    public static String formatDuration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%02d:%02d", m, sec);
    }

    private void draw(String line) {
        if (inPlace) {
            // Pad with spaces so that a shorter line fully covers the previous one.
            int pad = Math.max(0, lastLineLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLineLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void checkDone(long done) {
        if (done < 0 || done > total) {
            throw new IllegalArgumentException("done must be in [0, " + total + "], got " + done);
        }
    }
}
