package dev.nn.core.function;

import jdk.incubator.vector.FloatVector;

/**
 * The vector form of a {@link FloatBiFunction}, {@code f'(x, y)} lane by lane, applied to whole
 * vectors of the preferred species when the SIMD kernels run; see {@link VectorFunction}.
 */
@FunctionalInterface
public interface VectorBiFunction {

    /** Returns the function applied to each pair of lanes of {@code x} and {@code y}. */
    FloatVector apply(FloatVector x, FloatVector y);
}
