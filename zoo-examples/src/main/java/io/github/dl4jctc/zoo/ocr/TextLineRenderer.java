package io.github.dl4jctc.zoo.ocr;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.random.RandomGenerator;

/**
 * Renders text lines with Java2D: letter by letter (so that spacing can jitter), then slant, rotation, blur,
 * contrast and noise, into a {@link LineImage} of a fixed height and the width the text needs.
 *
 * <p>The width is rounded up to a multiple of {@code widthMultiple} (the network's horizontal downsampling, so that
 * every output frame covers whole columns) and is never less than {@code widthMultiple} times the number of frames
 * CTC needs for the text (one per character plus one between equal neighbours). Extra width is paper on the right.
 */
public final class TextLineRenderer {

    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);
    /** Letters that reach highest and lowest in Latin fonts: their ink bounds give the line's vertical extent. */
    private static final String EXTREMES = "bdfhklAQgjpqy";

    private final int height;
    private final int widthMultiple;

    /**
     * @param height        image height in pixels, at least 8
     * @param widthMultiple image widths are multiples of this (the network's horizontal downsampling), at least 1
     */
    public TextLineRenderer(int height, int widthMultiple) {
        if (height < 8) {
            throw new IllegalArgumentException("height: got " + height + ", expected at least 8 pixels");
        }
        if (widthMultiple < 1) {
            throw new IllegalArgumentException("widthMultiple: got " + widthMultiple + ", expected at least 1");
        }
        this.height = height;
        this.widthMultiple = widthMultiple;
    }

    public int height() {
        return height;
    }

    public int widthMultiple() {
        return widthMultiple;
    }

    /**
     * Frames CTC needs to emit {@code text}: one per character, plus a blank between two equal neighbours.
     */
    public static int minimumFrames(String text) {
        int frames = text.length();
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == text.charAt(i - 1)) {
                frames++;
            }
        }
        return frames;
    }

    /**
     * A rendered line and where each character was drawn.
     *
     * @param image        the line
     * @param glyphCentres per character of the text, the column (x, in pixels from the left edge, continuous: pixel
     *                     column c covers {@code [c, c + 1)}) of the centre of its glyph's ink bounds after slant and
     *                     rotation; NaN for a space, which draws nothing
     */
    public record RenderedLine(LineImage image, double[] glyphCentres) {
    }

    /**
     * @param text   the text, at least one character, no line breaks
     * @param style  how it looks
     * @param random source of the per-gap spacing jitter and the pixel noise
     */
    public LineImage render(String text, LineStyle style, RandomGenerator random) {
        return renderLine(text, style, random).image();
    }

    /** As {@link #render}, also giving each glyph's centre. */
    public RenderedLine renderLine(String text, LineStyle style, RandomGenerator random) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("text: got " + (text == null ? "null" : "\"\"")
                    + ", expected at least one character");
        }
        Font font = style.font().deriveFont((float) (style.fontSize() * height));
        float em = font.getSize2D();

        // Horizontal layout: advance of each letter plus tracking and jitter.
        double[] x = new double[text.length()];
        double pen = 0;
        for (int i = 0; i < text.length(); i++) {
            x[i] = pen;
            GlyphVector glyph = font.createGlyphVector(FRC, text.substring(i, i + 1));
            double jitter = style.kerningJitter() == 0 ? 0 : style.kerningJitter() * (2 * random.nextDouble() - 1);
            pen += glyph.getGlyphMetrics(0).getAdvance() + (style.tracking() + jitter) * em;
        }
        double textWidth = Math.max(1, pen - style.tracking() * em);

        // Vertical layout: place the tallest and deepest possible ink of this font inside the image.
        Rectangle2D extremes = font.createGlyphVector(FRC, EXTREMES).getVisualBounds();
        double inkTop = -extremes.getMinY();         // above the baseline
        double inkBottom = extremes.getMaxY();       // below the baseline
        double slack = height - inkTop - inkBottom;
        double baseline = inkTop + (slack > 0 ? slack * style.verticalPosition() : slack / 2);

        // The slant moves the tops and bottoms of letters sideways: leave room for it.
        double slantLeft = Math.max(0, Math.max(style.shear() * inkTop, -style.shear() * inkBottom));
        double slantRight = Math.max(0, Math.max(-style.shear() * inkTop, style.shear() * inkBottom));
        double left = style.leftMargin() + slantLeft + 1;
        int natural = (int) Math.ceil(left + textWidth + slantRight + style.rightMargin() + 1);
        int width = roundUp(Math.max(natural, minimumFrames(text) * widthMultiple), widthMultiple);

        AffineTransform transform = placement(baseline, width, style);
        double[] centres = new double[text.length()];
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                centres[i] = Double.NaN;
            } else {
                // The glyph's ink box centre, in the coordinates drawString uses, moved as the drawing is.
                Rectangle2D ink = font.createGlyphVector(FRC, text.substring(i, i + 1)).getVisualBounds();
                java.awt.geom.Point2D centre = transform.transform(new java.awt.geom.Point2D.Double(
                        left + x[i] + ink.getCenterX(), ink.getCenterY()), null);
                centres[i] = centre.getX();
            }
        }
        float[] coverage = drawCoverage(text, font, x, left, transform, width);
        float[] ink = Blur.gaussian(coverage, height, width, style.blurSigma());
        float paperInk = (float) (1 - style.paper());
        float letterInk = (float) (1 - style.inkBrightness());
        for (int i = 0; i < ink.length; i++) {
            float value = paperInk + (letterInk - paperInk) * ink[i];
            if (style.noiseSigma() > 0) {
                value += (float) (style.noiseSigma() * random.nextGaussian());
            }
            ink[i] = Math.min(1f, Math.max(0f, value));
        }
        return new RenderedLine(new LineImage(height, width, ink, paperInk), centres);
    }

    /** Rotation about the image centre, the baseline, and the slant (shear about the baseline). */
    private AffineTransform placement(double baseline, int width, LineStyle style) {
        AffineTransform transform = new AffineTransform();
        transform.rotate(Math.toRadians(style.rotationDegrees()), width / 2.0, height / 2.0);
        transform.translate(0, baseline);
        transform.shear(style.shear(), 0);
        return transform;
    }

    /** Anti-aliased glyph coverage in [0, 1] (1 = fully inside a glyph), row-major [height, width]. */
    private float[] drawCoverage(String text, Font font, double[] x, double left, AffineTransform transform,
                                 int width) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.setFont(font);
            g.transform(transform);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != ' ') {
                    g.drawString(String.valueOf(c), (float) (left + x[i]), 0f);
                }
            }
        } finally {
            g.dispose();
        }
        Raster raster = canvas.getRaster();
        int[] pixels = raster.getPixels(0, 0, width, height, (int[]) null);
        float[] coverage = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            coverage[i] = pixels[i] / 255f;
        }
        return coverage;
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
