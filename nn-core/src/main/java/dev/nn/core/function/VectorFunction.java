package dev.nn.core.function;

import jdk.incubator.vector.FloatVector;

/**
 * The vector form of a {@link FloatFunction}, applied lane-wise to whole vectors of the preferred
 * species ({@code FloatVector.SPECIES_PREFERRED}) when the SIMD kernels run.
 *
 * <p>The one kind of type outside nn's SIMD kernels that names the Vector API, because users
 * implement it: a program that does needs {@code --add-modules jdk.incubator.vector}, and gives
 * the scalar form beside it for the scalar kernels and the tails. Each function is run by a loop
 * compiled for it alone, so the JIT inlines it whatever else a program defines. Written with
 * {@link VectorMath} (nn's exp and sigmoid, the bits of {@link FloatMath}'s
 * scalar ones), swish ran forward and backward in the built-in SiLU's time with 0 to 10 other
 * user activations alive; with the Vector API's own {@code EXP}, an out-of-line call, in 1.4-1.6
 * times.
 *
 * <p>One thing still decides whether C2 inlines it: a lambda body of more than 35 bytes of
 * bytecode (C2's {@code MaxInlineSize}) is inlined only where C2 judges the call through the
 * lambda's class hot, which PrintInlining showed it often did not ("too big"), and a vector
 * passed to a body called out of line is boxed.
 * Measured on JDK 25 with swish's derivative (44 bytes) as the only user activation in use: boxed
 * in four JMH runs out of four; written as a lambda that calls a static method holding the body,
 * {@code v -> swishDerivative(v)}, inlined in two out of two. Short bodies such as
 * {@code v -> v.mul(v)} need nothing; a method reference was not measured.
 */
@FunctionalInterface
public interface VectorFunction {

    /** Returns the function applied to each lane of {@code x}. */
    FloatVector apply(FloatVector x);
}
