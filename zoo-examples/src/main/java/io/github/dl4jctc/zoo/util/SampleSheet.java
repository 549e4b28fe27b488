package io.github.dl4jctc.zoo.util;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A sheet of held-out samples for a person to look at: each row shows the input (a text-line image or a
 * spectrogram), the truth and the model's prediction, the prediction in green when it is exactly right and in red
 * otherwise.
 */
public final class SampleSheet {

    private static final int MARGIN = 16;
    private static final int GAP = 14;
    private static final int MIN_WIDTH = 600;

    /**
     * One row of the sheet.
     *
     * @param image      the input as a picture
     * @param truth      the reference text
     * @param prediction the model's text
     */
    public record Row(BufferedImage image, String truth, String prediction) {
    }

    private SampleSheet() {
    }

    /**
     * @param title text at the top (e.g. the held-out error rate)
     * @param rows  at least one row
     * @param scale each input image is drawn {@code scale} times its size (nearest neighbour, so pixels stay visible)
     */
    public static BufferedImage render(String title, List<Row> rows, int scale) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("rows: got none, expected at least one row");
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale: got " + scale + ", expected at least 1");
        }
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        Font textFont = new Font(Font.MONOSPACED, Font.PLAIN, 14);
        FontMetrics fm = measure(textFont);
        int lineHeight = fm.getHeight();

        int width = Math.max(MIN_WIDTH, measure(titleFont).stringWidth(title) + 2 * MARGIN);
        int height = MARGIN + 30;
        for (Row row : rows) {
            width = Math.max(width, row.image().getWidth() * scale + 2 * MARGIN);
            width = Math.max(width, fm.stringWidth("truth: " + row.truth()) + 2 * MARGIN);
            width = Math.max(width, fm.stringWidth("pred:  " + row.prediction()) + 2 * MARGIN);
            height += row.image().getHeight() * scale + 2 * lineHeight + GAP + 4;
        }
        height += MARGIN;

        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            g.drawString(title, MARGIN, MARGIN + 14);
            int y = MARGIN + 30;
            g.setFont(textFont);
            for (Row row : rows) {
                int w = row.image().getWidth() * scale;
                int h = row.image().getHeight() * scale;
                g.drawImage(row.image(), MARGIN, y, w, h, null);
                g.setColor(new Color(200, 200, 200));
                g.drawRect(MARGIN - 1, y - 1, w + 1, h + 1);
                y += h + 4;
                g.setColor(Color.BLACK);
                g.drawString("truth: " + row.truth(), MARGIN, y + fm.getAscent());
                y += lineHeight;
                boolean right = row.truth().equals(row.prediction());
                g.setColor(right ? new Color(0, 130, 0) : new Color(200, 0, 0));
                g.drawString("pred:  " + row.prediction(), MARGIN, y + fm.getAscent());
                y += lineHeight + GAP;
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    private static FontMetrics measure(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }
}
