package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.zoo.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An endless, reproducible stream of text-line samples: sample {@code i} depends only on the seed and {@code i}
 * (its own random generator draws the text, then the style, then the spacing jitter and noise).
 */
public final class OcrSampleGenerator {

    private final TextLineRenderer renderer;
    private final FontPool fonts;
    private final RandomText texts;
    private final LineAugmentation augmentation;
    private final long seed;

    public OcrSampleGenerator(TextLineRenderer renderer, FontPool fonts, RandomText texts,
                              LineAugmentation augmentation, long seed) {
        this.renderer = renderer;
        this.fonts = fonts;
        this.texts = texts;
        this.augmentation = augmentation;
        this.seed = seed;
    }

    /** @return sample number {@code index} of this stream */
    public OcrSample sample(long index) {
        SplittableRandom random = Seeds.forItem(seed, index);
        String text = texts.next(random);
        LineStyle style = augmentation.sample(fonts.fonts(), random);
        TextLineRenderer.RenderedLine line = renderer.renderLine(text, style, random);
        return new OcrSample(text, line.image(), line.glyphCentres());
    }

    /** @return samples {@code first .. first + count - 1} */
    public List<OcrSample> samples(long first, int count) {
        List<OcrSample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(sample(first + i));
        }
        return samples;
    }

    public TextLineRenderer renderer() {
        return renderer;
    }
}
