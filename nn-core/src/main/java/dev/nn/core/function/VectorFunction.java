package dev.nn.core.function;

import jdk.incubator.vector.FloatVector;

/**
 * The vector form of a {@link FloatFunction}, applied lane-wise to whole vectors of the preferred
 * species ({@code FloatVector.SPECIES_PREFERRED}) when the SIMD kernels run.
 *
 * <p>The one kind of type outside nn's SIMD kernels that names the Vector API, because users
 * implement it: a program that does needs {@code --add-modules jdk.incubator.vector}, and gives
 * the scalar form beside it for the scalar kernels and the tails. Each function is run by a loop
 * compiled for it alone, so the JIT inlines it whatever else a program defines: write it as plain
 * vector arithmetic, and it runs at the speed of a built-in operation.
 */
@FunctionalInterface
public interface VectorFunction {

    /** Returns the function applied to each lane of {@code x}. */
    FloatVector apply(FloatVector x);
}
