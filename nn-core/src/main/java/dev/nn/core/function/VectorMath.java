package dev.nn.core.function;

import dev.nn.core.kernel.SimdMath;
import jdk.incubator.vector.FloatVector;

/**
 * {@link FloatMath}'s functions on vectors, for users' vector forms: each lane gets the bits its
 * {@code FloatMath} twin gives, so a vector form written with these agrees exactly with a scalar
 * form written with {@code FloatMath}, and runs the polynomials nn's built-in activations run
 * (the Vector API's {@code lanewise(EXP)} is an out-of-line call, and differs from
 * {@link Math#exp} by an ulp). Vectors must be of the preferred species, as a
 * {@code VectorFunction} receives them. Loaded only by code that calls it.
 */
public final class VectorMath {

    private VectorMath() {
    }

    /** Returns e raised to each lane of {@code x}: {@link FloatMath#exp} lane by lane. */
    public static FloatVector exp(FloatVector x) {
        return SimdMath.exp(x);
    }

    /** Returns {@code 1 / (1 + e⁻ˣ)} lane by lane: {@link FloatMath#sigmoid}'s bits. */
    public static FloatVector sigmoid(FloatVector x) {
        return x.broadcast(1f).div(SimdMath.exp(x.neg()).add(1f));
    }
}
