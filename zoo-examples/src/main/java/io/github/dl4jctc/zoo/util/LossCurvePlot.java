package io.github.dl4jctc.zoo.util;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a training loss curve with XChart: the loss of every step (light) and its moving average (dark), against
 * the step. The y axis is logarithmic when the loss spans more than a factor of 20 (CTC losses fall from tens to
 * hundredths), linear otherwise.
 */
public final class LossCurvePlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    private LossCurvePlot() {
    }

    /**
     * @param losses loss per step (non-finite values are skipped, and values <= 0 on a logarithmic axis)
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
            throw new IllegalArgumentException("losses: got " + losses.length
                    + " values and none finite and positive, expected at least one finite positive value");
        }
        boolean logScale = max / min > 20;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step")
                .yAxisTitle(logScale ? "loss (log scale)" : "loss").build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisLogarithmic(logScale);
        // Whole step numbers without grouping, spaced so that 5-digit steps do not run into each other.
        chart.getStyler().setXAxisDecimalPattern("#").setXAxisTickMarkSpacingHint(90);
        add(chart, "loss per step", losses, logScale, new Color(150, 190, 235), 1f);
        add(chart, "moving average", movingAverage(losses, Math.max(1, losses.length / 50)), logScale,
                new Color(20, 70, 160), 2.2f);
        return BitmapEncoder.getBufferedImage(chart);
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

    /** A line of the drawable values (finite, and positive on a log axis) against their step. */
    private static void add(XYChart chart, String name, double[] values, boolean logScale, Color color,
                            float width) {
        List<Integer> steps = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i]) && (values[i] > 0 || !logScale)) {
                steps.add(i);
                ys.add(values[i]);
            }
        }
        if (steps.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, steps, ys);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(new BasicStroke(width));
    }
}
