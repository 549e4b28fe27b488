package io.github.dl4jctc.zoo.util;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar ({@code me.tongfei:progressbar}) for the examples' long runs: label, bar, percentage, done/total,
 * elapsed time, ETA and a status text such as the loss.
 *
 * <p>On a terminal it redraws in place a few times a second. When the output is not a terminal (a log file, CI, a
 * pipe) it prints the line as a new line every {@code lineIntervalSeconds}, so that logs stay short but still show
 * progress, ETA and loss.
 */
public final class ProgressBar {

    private static final int REDRAW_MILLIS = 250;

    private final me.tongfei.progressbar.ProgressBar bar;
    private final long total;
    private final long startNanos = System.nanoTime();

    /**
     * @param label               what is running, e.g. "ocr train"
     * @param total               number of units of work (steps, samples), at least 1
     * @param out                 where to draw
     * @param inPlace             true to redraw one line (a terminal), false to print new lines
     * @param lineIntervalSeconds without {@code inPlace}: seconds between two printed lines
     */
    public ProgressBar(String label, long total, PrintStream out, boolean inPlace, double lineIntervalSeconds) {
        if (total < 1) {
            throw new IllegalArgumentException("total: got " + total + ", expected at least 1");
        }
        if (!(lineIntervalSeconds > 0 && lineIntervalSeconds * 1000 <= Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("lineIntervalSeconds: got " + lineIntervalSeconds
                    + ", expected a positive number of seconds");
        }
        this.total = total;
        this.bar = new ProgressBarBuilder()
                .setTaskName(label)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(inPlace ? new ConsoleProgressBarConsumer(out)
                        : new DelegatingProgressBarConsumer(out::println))
                .setUpdateIntervalMillis(inPlace ? REDRAW_MILLIS : (int) Math.round(lineIntervalSeconds * 1000))
                .build();
    }

    /** A bar on standard output: in place on a terminal, otherwise a line every 20 seconds. */
    public static ProgressBar onStdout(String label, long total) {
        return new ProgressBar(label, total, System.out, System.console() != null, 20);
    }

    /**
     * Records progress; the bar draws itself at its own pace.
     *
     * @param done   units finished, in {@code [0, total]}
     * @param status short text shown after the ETA (e.g. "loss 0.412"), or empty
     */
    public void update(long done, String status) {
        checkDone(done);
        bar.stepTo(done);
        bar.setExtraMessage(status == null ? "" : status);
    }

    /** Draws the final state and ends the line. */
    public void finish(long done, String status) {
        update(done, status);
        bar.close();
    }

    /** @return seconds since this bar was created */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
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

    private void checkDone(long done) {
        if (done < 0 || done > total) {
            throw new IllegalArgumentException("done: got " + done + ", expected a count in [0, " + total + "]");
        }
    }
}
