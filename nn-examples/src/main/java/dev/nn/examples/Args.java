package dev.nn.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of the examples' option values, run before any work: a bad value is a usage error
 * (picocli prints the message and the command's usage, and the program exits with 2), never a
 * stack trace after minutes of training.
 */
final class Args {

    private Args() {
    }

    /** Refuses {@code value < 1}. */
    static void positive(CommandSpec spec, String option, long value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
        }
    }

    /** Refuses a value that is not finite or below 0. */
    static void nonNegative(CommandSpec spec, String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new ParameterException(spec.commandLine(), option + " must be a number >= 0, got "
                    + String.format(Locale.ROOT, "%s", value));
        }
    }

    /** Refuses a value outside [0, 1]. */
    static void fraction(CommandSpec spec, String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new ParameterException(spec.commandLine(), option + " must be between 0 and 1, got " + value);
        }
    }

    /**
     * Creates {@code dir} if needed and checks that files can be written in it (by writing and
     * deleting one), so a run that would fail at its end fails at its start.
     */
    static void outputDirectory(CommandSpec spec, String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), option + " " + dir + " is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".nn-write-check", ".tmp"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new ParameterException(spec.commandLine(), option + " " + dir + " is not a directory nn can write"
                    + " to (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }
}
