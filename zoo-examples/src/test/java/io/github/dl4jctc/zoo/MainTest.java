package io.github.dl4jctc.zoo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new String[]{String.valueOf(code), outBytes.toString(StandardCharsets.UTF_8),
                    errBytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void helpListsTheSubcommands() {
        String[] result = run("--help");
        assertEquals("0", result[0]);
        assertTrue(result[1].contains("ocr") && result[1].contains("asr"), result[1]);
        String[] ocr = run("ocr", "train", "--help");
        assertTrue(ocr[1].contains("--quick") && ocr[1].contains("--steps") && ocr[1].contains("--minutes")
                && ocr[1].contains("target/ocr-demo"), ocr[1]);
    }

    @Test
    void aMissingModelIsReportedWithoutAStackTrace(@TempDir Path dir) {
        String[] result = run("ocr", "predict", "--model", dir.resolve("none.zip").toString(), "line.png");
        assertEquals("2", result[0]);
        assertTrue(result[2].startsWith("error: --model: got") && result[2].contains("none.zip")
                && !result[2].contains("\tat "), result[2]);
        String[] asr = run("asr", "predict", "--beam", "-1", "--model", dir.resolve("none.zip").toString(), "a.wav");
        assertEquals("2", asr[0]);
    }

    @Test
    void aTrainingTimeThatIsNotPositiveIsAUsageError(@TempDir Path dir) {
        String[] minutes = run("ocr", "train", "--minutes", "0", "--out", dir.toString());
        assertEquals("2", minutes[0]);
        assertTrue(minutes[2].contains("--minutes: got 0.0, expected a positive number"), minutes[2]);
    }

    @Test
    void versionNamesTheProjectVersion() {
        String[] result = run("--version");
        assertEquals("0", result[0]);
        assertTrue(result[1].startsWith("dl4j-ctc 0.1.0"), result[1]);
    }

    @Test
    void anUnexpectedFailureIsOneLineWithItsCauses() {
        RuntimeException failure = new IllegalStateException("cannot load model x.zip",
                new java.io.IOException("unexpected end of ZLIB input stream"));
        assertEquals("cannot load model x.zip: unexpected end of ZLIB input stream", Main.describe(failure));
    }
}
