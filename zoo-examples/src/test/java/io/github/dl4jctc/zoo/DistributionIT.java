package io.github.dl4jctc.zoo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the launcher of the distribution that {@code mvn package} builds ({@code target/dl4j-ctc-zoo}), in a
 * process of its own without Maven, as a user would (failsafe, {@code mvn verify}).
 */
class DistributionIT {

    private static Path launcher;

    @BeforeAll
    static void findTheDistribution() {
        Path dist = Path.of(System.getProperty("dl4jctc.dist", "target/dl4j-ctc-zoo"));
        launcher = dist.resolve("bin").resolve("dl4j-ctc");
        assertTrue(Files.isExecutable(launcher), launcher + " is not an executable file");
        assertTrue(Files.isDirectory(dist.resolve("lib")), dist + "/lib is missing");
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        Path out = workDir.resolve("out.txt");
        Path err = workDir.resolve("err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("DL4JCTC_DEBUG");
        Process process = builder.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "launcher did not finish: " + command);
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommands(@TempDir Path dir) throws Exception {
        Run help = run(dir, "--help");
        assertEquals(0, help.exitCode(), help.err());
        assertTrue(help.out().startsWith("Usage: dl4j-ctc"), help.out());
        assertTrue(help.out().contains("ocr") && help.out().contains("asr"), help.out());
    }

    @Test
    void versionIsTheProjectVersion(@TempDir Path dir) throws Exception {
        Run version = run(dir, "--version");
        assertEquals(0, version.exitCode(), version.err());
        String expected = "dl4j-ctc " + System.getProperty("dl4jctc.version");
        assertTrue(version.out().startsWith(expected + System.lineSeparator()), version.out());
    }

    @Test
    void aMissingModelIsOneLineAndANonZeroExit(@TempDir Path dir) throws Exception {
        Run missing = run(dir, "ocr", "predict", "--model", "missing.zip", "line.png");
        assertEquals(2, missing.exitCode(), missing.out() + missing.err());
        List<String> lines = missing.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), missing.err());
        assertTrue(lines.get(0).startsWith("error: --model: got") && lines.get(0).contains("missing.zip"),
                missing.err());
        assertFalse(missing.err().contains("\tat ") || missing.out().contains("[ERROR]"), missing.err());
    }

    @Test
    void anUnknownOptionIsAUsageError(@TempDir Path dir) throws Exception {
        Run unknown = run(dir, "ocr", "train", "--no-such-option");
        assertEquals(2, unknown.exitCode(), unknown.out() + unknown.err());
        assertTrue(unknown.err().startsWith("Unknown option: '--no-such-option'"), unknown.err());
    }
}
