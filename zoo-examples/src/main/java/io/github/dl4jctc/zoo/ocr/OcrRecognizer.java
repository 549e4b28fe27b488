package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.CtcMasks;
import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.decode.CtcDecoder;
import io.github.dl4jctc.layer.decode.CtcHypothesis;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Reads text lines with a trained {@link CrnnModel}: images in, text out.
 */
public final class OcrRecognizer {

    private final MultiLayerNetwork network;
    private final CtcVocabulary vocabulary;
    private final int height;

    /**
     * @param network    a {@link CrnnModel} network
     * @param vocabulary its classes
     * @param height     the image height it was trained on
     */
    public OcrRecognizer(MultiLayerNetwork network, CtcVocabulary vocabulary, int height) {
        this.network = network;
        this.vocabulary = vocabulary;
        this.height = height;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public CtcVocabulary vocabulary() {
        return vocabulary;
    }

    public int height() {
        return height;
    }

    /**
     * Reads {@code images} (all {@link #height()} pixels high, widths multiples of
     * {@link CrnnModel#WIDTH_DOWNSAMPLING}), {@code batchSize} at a time, grouped by width.
     *
     * @return one text per image, in the order given
     */
    public List<String> read(List<LineImage> images, CtcDecoder decoder, int batchSize) {
        return read(images, decoder, batchSize, done -> { });
    }

    /** {@link #read(List, CtcDecoder, int)}, telling {@code progress} how many images are done after each batch. */
    public List<String> read(List<LineImage> images, CtcDecoder decoder, int batchSize, IntConsumer progress) {
        List<String> texts = new ArrayList<>();
        for (CtcHypothesis hypothesis : decode(images, decoder, batchSize, progress)) {
            texts.add(vocabulary.decode(hypothesis.labels()));
        }
        return texts;
    }

    /**
     * As {@link #read(List, CtcDecoder, int, IntConsumer)}, giving the hypotheses: labels, and per label its frames
     * (frame t covers columns {@code [t * WIDTH_DOWNSAMPLING, (t + 1) * WIDTH_DOWNSAMPLING)}) and confidence.
     */
    public List<CtcHypothesis> decode(List<LineImage> images, CtcDecoder decoder, int batchSize,
                                      IntConsumer progress) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> images.get(i).width()));
        CtcHypothesis[] hypotheses = new CtcHypothesis[images.size()];
        for (int start = 0; start < order.size(); start += batchSize) {
            List<Integer> batch = order.subList(start, Math.min(order.size(), start + batchSize));
            List<LineImage> batchImages = new ArrayList<>();
            for (int i : batch) {
                batchImages.add(images.get(i));
            }
            List<CtcHypothesis> read = decodeBatch(batchImages, decoder);
            for (int k = 0; k < batch.size(); k++) {
                hypotheses[batch.get(k)] = read.get(k);
            }
            progress.accept(start + batch.size());
        }
        return List.of(hypotheses);
    }

    private List<CtcHypothesis> decodeBatch(List<LineImage> images, CtcDecoder decoder) {
        List<OcrSample> samples = new ArrayList<>();
        for (int n = 0; n < images.size(); n++) {
            LineImage image = images.get(n);
            if (image.height() != height || image.width() % CrnnModel.WIDTH_DOWNSAMPLING != 0) {
                throw new IllegalArgumentException("images: got " + image.width() + "x" + image.height() + " at image "
                        + n + ", expected " + height + " pixels high and a multiple of " + CrnnModel.WIDTH_DOWNSAMPLING
                        + " wide (see prepare)");
            }
            samples.add(new OcrSample("", image));
        }
        INDArray probabilities = network.output(OcrBatches.features(samples), false,
                OcrBatches.featuresMask(samples), null);
        // Decode exactly the frames the network used (see CrnnModel on how DL4J shrinks the mask).
        return decoder.decode(probabilities, CtcMasks.ofUsedFrames(probabilities, decoder.format()));
    }

    /**
     * Makes a picture of one text line fit the network: scaled (keeping the aspect ratio) to the model's height,
     * converted to ink intensity, and padded on the right with its paper colour to a multiple of
     * {@link CrnnModel#WIDTH_DOWNSAMPLING} columns.
     */
    public LineImage prepare(BufferedImage picture) {
        int width = Math.max(1, (int) Math.round(picture.getWidth() * (double) height / picture.getHeight()));
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            // Bicubic drawing skips pixels when shrinking a lot; area averaging first keeps thin strokes.
            java.awt.Image source = picture.getHeight() > 2 * height
                    ? picture.getScaledInstance(width, height, java.awt.Image.SCALE_AREA_AVERAGING) : picture;
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        LineImage line = LineImage.fromBufferedImage(scaled);
        int padded = (width + CrnnModel.WIDTH_DOWNSAMPLING - 1) / CrnnModel.WIDTH_DOWNSAMPLING
                * CrnnModel.WIDTH_DOWNSAMPLING;
        if (padded == width) {
            return line;
        }
        float[] ink = new float[height * padded];
        for (int y = 0; y < height; y++) {
            System.arraycopy(line.ink(), y * width, ink, y * padded, width);
            java.util.Arrays.fill(ink, y * padded + width, (y + 1) * padded, line.background());
        }
        return new LineImage(height, padded, ink, line.background());
    }
}
