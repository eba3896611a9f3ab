package dev.nn.core.function;

import java.io.Serializable;

/**
 * A float function of one float: the scalar form of a user's elementwise operation, {@code y = f(x)},
 * or of its derivative {@code f'(x)}.
 *
 * <p>It runs on every element with the scalar kernels and on the tail elements with the SIMD
 * kernels; a {@link VectorFunction} given beside it must compute the same values. Without a
 * vector form, the SIMD kernels read a lambda's code and run it on vectors where they can: float
 * or double arithmetic, constants, captured numbers, {@code Math}'s {@code exp}, {@code log},
 * {@code sqrt}, {@code tanh}, {@code abs}, {@code max} and {@code min}, {@link FloatMath}'s
 * functions, comparisons choosing between values ({@code x > 0 ? x : 0.1f * x}), and static
 * methods of the program's own that use only these ({@code MyActivations::swish}), provided
 * the vector results agree with the lambda's on probe inputs (within 16 ulp: doubles run as
 * floats, {@code Math.exp} as nn's). It is {@link Serializable} so that a lambda names its code.
 */
@FunctionalInterface
public interface FloatFunction extends Serializable {

    /** Returns the function's value at {@code x}. */
    float apply(float x);
}
