package dev.nn.core.function;

import java.io.Serializable;

/**
 * A float function of two floats: the scalar form of a derivative that reads the output as well
 * as the input, {@code f'(x, y)} with {@code y = f(x)} (sigmoid's is {@code y·(1 - y)}), so that it
 * need not compute f again.
 *
 * <p>It runs where {@link FloatFunction} does, and is read and run on vectors as that says; a
 * {@link VectorBiFunction} given beside it must compute the same values.
 */
@FunctionalInterface
public interface FloatBiFunction extends Serializable {

    /** Returns the function's value at {@code (x, y)}. */
    float apply(float x, float y);
}
