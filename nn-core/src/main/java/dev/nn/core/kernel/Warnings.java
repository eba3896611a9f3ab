package dev.nn.core.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The warning that must reach a person even when the application has no SLF4J provider: that
 * nn runs its scalar kernels. Without a provider SLF4J drops every message, and a program
 * would run several times slower with nothing said, so then it goes to standard error too. This
 * is the one place library code writes to a standard stream.
 */
final class Warnings {

    private Warnings() {
    }

    /** Logs {@code message} at warn level on {@code log}, and on standard error when SLF4J has no provider. */
    static void warn(Logger log, String message) {
        log.warn(message);
        if (!hasProvider()) {
            System.err.println("WARNING: " + message);
        }
    }

    /** Returns whether SLF4J found a provider, so that its loggers write somewhere. */
    static boolean hasProvider() {
        return !(LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory);
    }
}
