package io.github.dl4jctc.zoo;

import io.github.dl4jctc.zoo.asr.AsrCommand;
import io.github.dl4jctc.zoo.ocr.OcrCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The zoo's command line: {@code ocr train}, {@code ocr predict IMAGE...}, {@code asr train},
 * {@code asr predict WAV...}. Run without arguments for help.
 */
@Command(name = "zoo", mixinStandardHelpOptions = true, version = "dl4j-ctc zoo 0.1.0",
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
        // A bad argument (a missing file, a wrong option value) is the user's to fix: say what, without a trace.
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                command.getErr().println("error: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
