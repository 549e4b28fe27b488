package io.github.dl4jctc.zoo.ocr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Smoke test: the quick OCR run trains, beats the empty-output baseline and writes its files. */
class OcrQuickTrainingTest {

    @Test
    void quickRunLearnsToReadDigits(@TempDir Path out) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        OcrTrainer.Options quick = OcrTrainer.Options.quick(out);
        OcrTrainer.Result result = OcrTrainer.run(quick, new PrintStream(log, true, StandardCharsets.UTF_8));

        System.out.printf("OCR quick run: %s, trained in %.0f s at %.1f lines/s%n", result.summary(),
                result.trainingSeconds(), result.examplesPerSecond());
        double[] losses = result.losses();
        assertEquals(quick.steps(), losses.length);
        double first = Arrays.stream(losses, 0, 20).average().orElseThrow();
        double last = Arrays.stream(losses, losses.length - 20, losses.length).average().orElseThrow();
        assertTrue(last < 0.3 * first, "loss should fall to under 30%: first 20 steps " + first + ", last 20 " + last);
        // Predicting nothing scores a CER of exactly 100%.
        assertTrue(result.characterErrorRate() < 0.5, "held-out CER " + result.characterErrorRate());

        // Confidence separates right from wrong characters (by alignment with the reference) on a trained model.
        System.out.println("OCR quick run confidences: " + result.confidences().summary());
        assertTrue(result.confidences().right() >= 100 && result.confidences().wrong() >= 10,
                result.confidences().summary());
        assertTrue(result.confidences().meanWrong() < result.confidences().meanRight() - 0.1,
                result.confidences().summary());
        // Segments contain the strict spans, so they place at least as many characters.
        assertTrue(result.positions().segmentAccuracy() >= result.positions().strictAccuracy());
        assertTrue(result.positions().segmentAccuracy() > 0.5, result.positionLines().get(0));

        String[] lines = log.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("held-out CER: \\d+\\.\\d\\d% \\(200 lines\\)"),
                lines[lines.length - 1]);
        assertTrue(lines[lines.length - 3].matches("held-out character position accuracy: \\d+\\.\\d\\d% \\(segment"
                + " spans; strict spans \\d+\\.\\d\\d%; \\d+ characters, .*\\)"), lines[lines.length - 3]);
        for (String file : new String[]{"ocr-model.zip", "ocr-loss.png", "ocr-samples.png", "ocr-example-0.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
    }
}
