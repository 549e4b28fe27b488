package io.github.dl4jctc.zoo.util;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a training loss curve: the loss of every step (light) and its moving average (dark), against the step.
 * The y axis is logarithmic when the loss spans more than a factor of 20 (CTC losses fall from tens to hundredths),
 * linear otherwise.
 */
public final class LossCurvePlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private LossCurvePlot() {
    }

    /**
     * @param losses loss per step (non-finite values are skipped)
     * @param title  text above the plot
     * @return the plot, {@value #WIDTH} x {@value #HEIGHT} pixels
     * @throws IllegalArgumentException if there is no finite positive loss to draw
     */
    public static BufferedImage render(double[] losses, String title) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double loss : losses) {
            if (Double.isFinite(loss) && loss > 0) {
                min = Math.min(min, loss);
                max = Math.max(max, loss);
            }
        }
        if (min > max) {
            throw new IllegalArgumentException("losses must hold at least one finite positive value, got "
                    + losses.length + " values and none of them is");
        }
        boolean logScale = max / min > 20;
        Axis y = logScale ? Axis.log(min, max) : Axis.linear(Math.min(0, min), max);
        Axis x = Axis.linear(0, Math.max(1, losses.length - 1));

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            drawAxes(g, x, y, title, logScale);
            g.setClip(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
            g.setStroke(new BasicStroke(1f));
            g.setColor(new Color(150, 190, 235));
            g.draw(path(losses, x, y));
            g.setStroke(new BasicStroke(2.2f));
            g.setColor(new Color(20, 70, 160));
            g.draw(path(movingAverage(losses, Math.max(1, losses.length / 50)), x, y));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Moving average over the last {@code window} finite values (the first values average fewer). */
    static double[] movingAverage(double[] values, int window) {
        double[] out = new double[values.length];
        double sum = 0;
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                sum += values[i];
                count++;
            }
            if (i >= window && Double.isFinite(values[i - window])) {
                sum -= values[i - window];
                count--;
            }
            out[i] = count == 0 ? Double.NaN : sum / count;
        }
        return out;
    }

    private static Path2D path(double[] values, Axis x, Axis y) {
        Path2D path = new Path2D.Double();
        boolean penDown = false;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i]) || values[i] <= 0 && y.log) {
                penDown = false;
                continue;
            }
            double px = LEFT + x.fraction(i) * (WIDTH - LEFT - RIGHT);
            double py = HEIGHT - BOTTOM - y.fraction(values[i]) * (HEIGHT - TOP - BOTTOM);
            if (penDown) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                penDown = true;
            }
        }
        return path;
    }

    private static void drawAxes(Graphics2D g, Axis x, Axis y, String title, boolean logScale) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double tick : y.ticks()) {
            int py = (int) Math.round(HEIGHT - BOTTOM - y.fraction(tick) * plotH);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String text = formatTick(tick);
            g.drawString(text, LEFT - 8 - fm.stringWidth(text), py + fm.getAscent() / 2 - 1);
        }
        for (double tick : x.ticks()) {
            int px = (int) Math.round(LEFT + x.fraction(tick) * plotW);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String text = formatTick(tick);
            g.drawString(text, px - fm.stringWidth(text) / 2, HEIGHT - BOTTOM + fm.getAscent() + 6);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("step", LEFT + plotW / 2 - fm.stringWidth("step") / 2, HEIGHT - 15);
        String yLabel = logScale ? "loss (log scale)" : "loss";
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + plotH / 2) - fm.stringWidth(yLabel) / 2, 20);
        rotated.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, TOP - 18);
    }

    private static String formatTick(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 0.01 ? "%.2f" : "%.1e", v).replaceAll("\\.?0+$", "");
    }

    /** A linear or logarithmic mapping of [lo, hi] onto [0, 1], with tick positions. */
    private static final class Axis {
        final double lo;
        final double hi;
        final boolean log;

        private Axis(double lo, double hi, boolean log) {
            this.lo = lo;
            this.hi = hi;
            this.log = log;
        }

        static Axis linear(double lo, double hi) {
            double step = niceStep((hi - lo) / 5);
            double niceHi = Math.ceil(hi / step) * step;
            double niceLo = Math.floor(lo / step) * step;
            return new Axis(niceLo, niceHi == niceLo ? niceLo + step : niceHi, false);
        }

        static Axis log(double lo, double hi) {
            return new Axis(Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi))), true);
        }

        double fraction(double v) {
            return log ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                int decades = (int) Math.round(Math.log10(hi / lo));
                for (double decade = lo; decade <= hi * 1.0001; decade *= 10) {
                    ticks.add(decade);
                    if (decades <= 3) {
                        for (double m : new double[]{2, 5}) {
                            if (decade * m < hi) {
                                ticks.add(decade * m);
                            }
                        }
                    }
                }
            } else {
                double step = niceStep((hi - lo) / 5);
                for (double v = lo; v <= hi + step * 1e-6; v += step) {
                    ticks.add(Math.abs(v) < step * 1e-9 ? 0 : v);
                }
            }
            return ticks;
        }

        /** The number of the form {1, 2, 5} x 10^k nearest above {@code raw}. */
        static double niceStep(double raw) {
            if (!(raw > 0)) {
                return 1;
            }
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double m = raw / magnitude;
            return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * magnitude;
        }
    }
}
