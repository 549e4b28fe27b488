package io.github.dl4jctc.zoo.ocr;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fonts text lines are rendered with: every installed DejaVu family of {@link #PREFERRED_FAMILIES} in plain and
 * bold, each able to display all of {@link OcrCharacters#GLYPHS}. Where none is installed, Java's logical fonts
 * (SansSerif, Serif, Monospaced) stand in, so the example still runs, on whatever those map to.
 */
public final class FontPool {

    /** Families looked for, in this order. DejaVu ships with most Linux distributions and with many JDK images. */
    public static final List<String> PREFERRED_FAMILIES = List.of(
            "DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "DejaVu Sans Condensed", "DejaVu Serif Condensed");

    private static final List<String> LOGICAL_FAMILIES = List.of(Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED);

    private final List<Font> fonts;
    /** The family each font was asked for under ({@link Font#getFamily()} may name it differently). */
    private final List<String> families;

    private FontPool(List<Font> fonts, List<String> families) {
        this.fonts = List.copyOf(fonts);
        this.families = List.copyOf(families);
    }

    /** The installed fonts of {@link #PREFERRED_FAMILIES}, or the logical fonts if none of them is installed. */
    public static FontPool installed() {
        Set<String> available = new HashSet<>(Arrays.asList(
                GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames()));
        List<String> families = new ArrayList<>();
        for (String family : PREFERRED_FAMILIES) {
            if (available.contains(family)) {
                families.add(family);
            }
        }
        if (families.isEmpty()) {
            families.addAll(LOGICAL_FAMILIES);
        }
        return of(families);
    }

    /**
     * The plain and bold fonts of {@code families} that display every glyph of {@link OcrCharacters#GLYPHS}.
     *
     * @throws IllegalArgumentException if none does
     */
    public static FontPool of(List<String> families) {
        List<Font> fonts = new ArrayList<>();
        List<String> fontFamilies = new ArrayList<>();
        for (String family : families) {
            for (int style : new int[]{Font.PLAIN, Font.BOLD}) {
                Font font = new Font(family, style, 1);
                if (font.canDisplayUpTo(OcrCharacters.GLYPHS) == -1) {
                    fonts.add(font);
                    fontFamilies.add(family);
                }
            }
        }
        if (fonts.isEmpty()) {
            throw new IllegalArgumentException("families: got " + families + ", expected a font that displays all of \""
                    + OcrCharacters.GLYPHS + "\"");
        }
        return new FontPool(fonts, fontFamilies);
    }

    /**
     * Splits off one family, to measure how a model reads a family it never saw in training.
     *
     * @param family a family of this pool
     * @return this pool without the fonts of {@code family}
     * @throws IllegalArgumentException if {@code family} is not in the pool or is its only family
     */
    public FontPool without(String family) {
        if (!families.contains(family)) {
            throw new IllegalArgumentException("family: got \"" + family + "\", expected one of "
                    + new LinkedHashSet<>(families));
        }
        List<Font> kept = new ArrayList<>();
        List<String> keptFamilies = new ArrayList<>();
        for (int i = 0; i < fonts.size(); i++) {
            if (!families.get(i).equals(family)) {
                kept.add(fonts.get(i));
                keptFamilies.add(families.get(i));
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("family: got \"" + family + "\", the pool's only family; expected"
                    + " one of several, so that some remain to train on");
        }
        return new FontPool(kept, keptFamilies);
    }

    /** @return the families of the pool, each once, in order */
    public List<String> families() {
        return List.copyOf(new LinkedHashSet<>(families));
    }

    /** @return the fonts, at size 1 (derive the size you need) */
    public List<Font> fonts() {
        return fonts;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Font font : fonts) {
            names.add(font.getFontName());
        }
        return "FontPool" + names;
    }
}
