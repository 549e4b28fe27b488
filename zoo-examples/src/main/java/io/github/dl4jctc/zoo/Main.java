package io.github.dl4jctc.zoo;

import io.github.dl4jctc.zoo.asr.AsrCommand;
import io.github.dl4jctc.zoo.ocr.OcrCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The zoo's command line: {@code ocr train}, {@code ocr predict IMAGE...}, {@code asr train},
 * {@code asr predict WAV...}. Run without arguments for help.
 */
@Command(name = "dl4j-ctc", mixinStandardHelpOptions = true, versionProvider = ZooVersion.class,
        description = "CTC examples for DL4J: a text-line OCR model and a spoken-words model, trained on data made"
                + " on the fly (no downloads).",
        subcommands = {OcrCommand.class, AsrCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Text rendering and PNG writing need no display.
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests: no System.exit). */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        // A bad argument (a missing file, a wrong option value) is the user's to fix: say what, without a trace,
        // exit 2 as picocli does for usage errors. Anything else is one line too (exit 1); DL4JCTC_DEBUG=1 adds the
        // stack trace for a bug report.
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            if (debug()) {
                e.printStackTrace(command.getErr());
            }
            if (e instanceof IllegalArgumentException) {
                command.getErr().println("error: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            command.getErr().println("error: " + describe(e));
            return CommandLine.ExitCode.SOFTWARE;
        });
        return commandLine.execute(args);
    }

    private static boolean debug() {
        String value = System.getenv("DL4JCTC_DEBUG");
        return value != null && !value.isEmpty() && !value.equals("0");
    }

    /** The message of an unexpected failure and of its causes, on one line. */
    static String describe(Throwable e) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (line.indexOf(message) < 0) {
                line.append(line.length() == 0 ? "" : ": ").append(message);
            }
        }
        return line.toString().replace('\n', ' ');
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
