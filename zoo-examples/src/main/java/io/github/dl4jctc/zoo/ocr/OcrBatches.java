package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns text-line samples into DataSets for {@link CrnnModel}. */
public final class OcrBatches {

    private OcrBatches() {
    }

    /**
     * Builds one minibatch. Images are left-aligned and padded on the right, with each image's own paper colour,
     * to the widest image.
     *
     * @param samples    lines of one height
     * @param vocabulary the character classes
     * @return features {@code [N, 1, H, W]} (ink intensity), features mask {@code [N, 1, 1, W]} (1 for a sample's own
     *         columns), labels {@code [N, S]} (class indices) and labels mask {@code [N, S]}
     */
    public static DataSet toDataSet(List<OcrSample> samples, CtcVocabulary vocabulary) {
        CtcVocabulary.LabelBatch labels = vocabulary.toLabels(texts(samples), DataType.FLOAT);
        return new DataSet(features(samples), labels.labels(), featuresMask(samples), labels.mask());
    }

    /** @return the images as {@code [N, 1, H, W]}, padded on the right to the widest */
    public static INDArray features(List<OcrSample> samples) {
        List<LineImage> images = new ArrayList<>(samples.size());
        for (OcrSample sample : samples) {
            images.add(sample.image());
        }
        return images(images);
    }

    /** @return {@code images} as {@code [N, 1, H, W]}, padded on the right to the widest */
    public static INDArray images(List<LineImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("images: got none, expected at least one image");
        }
        int height = images.get(0).height();
        int width = maxWidth(images);
        float[] data = new float[images.size() * height * width];
        for (int n = 0; n < images.size(); n++) {
            LineImage image = images.get(n);
            if (image.height() != height) {
                throw new IllegalArgumentException("images: got height " + image.height() + " at image " + n
                        + ", expected " + height + " pixels (as image 0)");
            }
            int offset = n * height * width;
            for (int y = 0; y < height; y++) {
                System.arraycopy(image.ink(), y * image.width(), data, offset + y * width, image.width());
                java.util.Arrays.fill(data, offset + y * width + image.width(), offset + (y + 1) * width,
                        image.background());
            }
        }
        return Nd4j.create(data, new long[]{images.size(), 1, height, width}, 'c');
    }

    /** @return {@code [N, 1, 1, W]}: 1 for the columns of each sample's own image, 0 for the padding */
    public static INDArray featuresMask(List<OcrSample> samples) {
        List<LineImage> images = new ArrayList<>(samples.size());
        for (OcrSample sample : samples) {
            images.add(sample.image());
        }
        int width = maxWidth(images);
        float[] data = new float[images.size() * width];
        for (int n = 0; n < images.size(); n++) {
            java.util.Arrays.fill(data, n * width, n * width + images.get(n).width(), 1f);
        }
        return Nd4j.create(data, new long[]{images.size(), 1, 1, width}, 'c');
    }

    /**
     * @return the frames {@link CrnnModel} gives each sample of a minibatch of these samples: width / 4, plus one
     *         for a sample narrower than the widest (see {@link CrnnModel} on DL4J's mask reduction)
     */
    public static int[] frames(List<OcrSample> samples) {
        int widest = 0;
        for (OcrSample sample : samples) {
            widest = Math.max(widest, sample.image().width());
        }
        int[] frames = new int[samples.size()];
        for (int n = 0; n < frames.length; n++) {
            int width = samples.get(n).image().width();
            frames[n] = width / CrnnModel.WIDTH_DOWNSAMPLING + (width < widest ? 1 : 0);
        }
        return frames;
    }

    /**
     * Splits {@code samples} into minibatches of similar widths (less padding, faster training): sorted by width,
     * then cut into runs of {@code batchSize}. The last minibatch may be smaller.
     *
     * @return the minibatches, narrowest first
     */
    public static List<List<OcrSample>> byWidth(List<OcrSample> samples, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: got " + batchSize + ", expected at least 1");
        }
        List<OcrSample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparingInt(s -> s.image().width()));
        List<List<OcrSample>> batches = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += batchSize) {
            batches.add(List.copyOf(sorted.subList(i, Math.min(sorted.size(), i + batchSize))));
        }
        return batches;
    }

    static List<String> texts(List<OcrSample> samples) {
        List<String> texts = new ArrayList<>(samples.size());
        for (OcrSample sample : samples) {
            texts.add(sample.text());
        }
        return texts;
    }

    private static int maxWidth(List<LineImage> images) {
        int width = 0;
        for (LineImage image : images) {
            width = Math.max(width, image.width());
        }
        return width;
    }
}
