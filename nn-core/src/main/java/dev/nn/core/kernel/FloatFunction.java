package dev.nn.core.kernel;

/**
 * A float function of one float, the scalar form of a user's elementwise operation.
 *
 * <p>Used by {@link ElementwiseKernels#map} for every element on the scalar kernels and for the tail
 * elements on the SIMD kernels; a {@link VectorFunction} given beside it must compute the same values.
 */
@FunctionalInterface
public interface FloatFunction {

    /** Returns the function's value at {@code x}. */
    float apply(float x);
}
