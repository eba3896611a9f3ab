package dev.nn.core.function;

/**
 * A float function of one float: the scalar form of a user's elementwise operation, {@code y = f(x)},
 * or of its derivative {@code f'(x)}.
 *
 * <p>It runs on every element with the scalar kernels and on the tail elements with the SIMD
 * kernels; a {@link VectorFunction} given beside it must compute the same values.
 */
@FunctionalInterface
public interface FloatFunction {

    /** Returns the function's value at {@code x}. */
    float apply(float x);
}
