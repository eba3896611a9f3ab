package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * The vector form of a user's elementwise operation, applied lane-wise to whole vectors of the
 * preferred species by {@link ElementwiseKernels#map} on the SIMD kernels.
 *
 * <p>The one type outside the {@code Simd*} classes that names the Vector API, because users
 * implement it. It is loaded only by code that uses it; a program that does so needs
 * {@code --add-modules jdk.incubator.vector}, and gives a {@link FloatFunction} beside it for
 * the scalar kernels and the tails. Keep it small. Every vector form runs in one shared kernel
 * loop, and C2 inlines them there only while few are in use; one it does not inline boxes every
 * vector. Measured on JDK 25 (1M floats, trivial lambdas, one JVM): with one in use 0.14 ms per
 * call; with two (as an ElementwiseFunction's function and derivative) 0.41-0.53 ms; with
 * three 2.9 ms each, allocating 16 bytes per float. The built-in operations do not share
 * loops this way (see SimdElementwise).
 */
@FunctionalInterface
public interface VectorFunction {

    /** Returns the function applied to each lane of {@code x}. */
    FloatVector apply(FloatVector x);
}
