package io.github.dl4jctc.zoo.ocr;

/** Separable Gaussian blur of a row-major grey image; the border is extended (clamped), not zero. */
final class Blur {

    private Blur() {
    }

    /**
     * @return a new blurred copy of {@code image} ({@code [height, width]}, row-major), or a plain copy if
     *         {@code sigma} is below 0.1 pixel
     */
    static float[] gaussian(float[] image, int height, int width, double sigma) {
        if (sigma < 0.1) {
            return image.clone();
        }
        int radius = (int) Math.ceil(3 * sigma);
        float[] kernel = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        float[] rows = new float[image.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    int xx = Math.min(width - 1, Math.max(0, x + k));
                    acc += kernel[k + radius] * image[y * width + xx];
                }
                rows[y * width + x] = acc;
            }
        }
        float[] out = new float[image.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    int yy = Math.min(height - 1, Math.max(0, y + k));
                    acc += kernel[k + radius] * rows[yy * width + x];
                }
                out[y * width + x] = acc;
            }
        }
        return out;
    }
}
