package dev.nn.spark;

import java.io.Serializable;

/**
 * Makes a fresh object on whichever machine calls it: executors build their own copy of the
 * model and the loss from the factory the driver was given, since modules are not shipped
 * between machines (their weights are). Write it as a lambda: {@code () -> new Sequential(...)};
 * everything it captures must be serializable.
 *
 * @param <T> what it makes
 */
@FunctionalInterface
public interface Factory<T> extends Serializable {

    /** Returns a new object; each call builds one from scratch. */
    T create();
}
