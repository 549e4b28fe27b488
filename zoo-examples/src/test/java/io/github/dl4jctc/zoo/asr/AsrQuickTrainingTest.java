package io.github.dl4jctc.zoo.asr;

import io.github.dl4jctc.layer.decode.WordLanguageModel;
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

/** Smoke test: the quick speech run trains, beats the empty-output baseline and writes its files. */
class AsrQuickTrainingTest {

    @Test
    void quickRunLearnsToRecogniseWords(@TempDir Path out) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AsrTrainer.Options quick = AsrTrainer.Options.quick(out);
        AsrTrainer.Result result = AsrTrainer.run(quick, new PrintStream(log, true, StandardCharsets.UTF_8));

        System.out.printf("ASR quick run: %s, CER %.2f%%, trained in %.0f s at %.1f utterances/s%n",
                result.summary(), 100 * result.characterErrorRate(), result.trainingSeconds(),
                result.examplesPerSecond());
        double[] losses = result.losses();
        assertEquals(quick.steps(), losses.length);
        double first = Arrays.stream(losses, 0, 15).average().orElseThrow();
        double last = Arrays.stream(losses, losses.length - 15, losses.length).average().orElseThrow();
        assertTrue(last < 0.3 * first, "loss should fall to under 30%: first 15 steps " + first + ", last 15 " + last);
        // Predicting nothing scores a CER and WER of exactly 100%.
        assertTrue(result.characterErrorRate() < 0.5, "held-out CER " + result.characterErrorRate());

        String[] lines = log.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("held-out WER: \\d+\\.\\d\\d% \\(100 utterances\\)"),
                lines[lines.length - 1]);
        // The decoder comparison and timing lines come before the summary.
        assertTrue(lines[lines.length - 4].matches("held-out WER by decoder: greedy \\d+\\.\\d\\d%, beam \\d+\\.\\d\\d%,"
                + " beam\\+word LM \\d+\\.\\d\\d%"), lines[lines.length - 4]);
        assertTrue(lines[lines.length - 3].startsWith("held-out word timing error: mean "), lines[lines.length - 3]);
        AsrDecoding.Report report = result.decoding();
        assertEquals(Math.min(Math.min(report.greedy().wordErrorRate(), report.beam().wordErrorRate()),
                report.wordModel().wordErrorRate()), result.wordErrorRate());
        // The word model knows the twenty words of the transcripts, plus <s>, </s> and <unk>.
        assertEquals(23, WordLanguageModel.readArpa(out.resolve("asr-words.arpa")).vocabularySize());
        for (String file : new String[]{"asr-model.zip", "asr-loss.png", "asr-samples.png", "asr-example-0.wav"}) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
    }
}
