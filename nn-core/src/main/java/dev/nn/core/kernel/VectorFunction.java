package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * The vector form of a user's elementwise operation, applied lane-wise to whole vectors of the
 * preferred species by {@link Kernels#map} on the SIMD kernels.
 *
 * <p>The one type outside {@code SimdKernels} that names the Vector API, because users implement
 * it. It is loaded only by code that uses it; a program that does so needs
 * {@code --add-modules jdk.incubator.vector}, and gives a {@link FloatFunction} beside it for
 * the scalar kernels and the tails. Keep it small and monomorphic: a lambda that C2 cannot
 * inline into the kernel loop boxes every vector and runs slower than the scalar form.
 */
@FunctionalInterface
public interface VectorFunction {

    /** Returns the function applied to each lane of {@code x}. */
    FloatVector apply(FloatVector x);
}
