/**
 * Runnable programs that show nn at work, from the first command a newcomer runs.
 * The only place besides nn-bench that may depend on logback.
 */
package dev.nn.examples;
