package dev.nn.core.function;

import dev.nn.core.kernel.ScalarMath;

/**
 * nn's own float32 {@code exp}, {@code log}, {@code tanh}, {@code erf}, {@code sigmoid} and
 * {@code softplus}, for the scalar forms of users' functions: the polynomials nn's built-in
 * activations run, so a custom activation written with them gives the built-in's bits, and
 * {@link VectorMath} gives the same bits lane by lane. Unlike {@link Math#exp}, their results do
 * not change when the JIT recompiles a loop. Each is within 2 ulp of the exact value (erf within
 * 3e-7 absolute).
 */
public final class FloatMath {

    private FloatMath() {
    }

    /** Returns e raised to {@code x}; +∞ above 88.72, 0 below -103.97, NaN for NaN. */
    public static float exp(float x) {
        return ScalarMath.exp(x);
    }

    /** Returns the natural logarithm of {@code x}; -∞ at ±0, NaN below 0. */
    public static float log(float x) {
        return ScalarMath.log(x);
    }

    /** Returns the hyperbolic tangent of {@code x}; ±1 for large |x|. */
    public static float tanh(float x) {
        return ScalarMath.tanh(x);
    }

    /** Returns the error function {@code erf(x) = 2/√π ∫₀ˣ e^(-t²) dt}; ±1 at ±∞. */
    public static float erf(float x) {
        return ScalarMath.erf(x);
    }

    /** Returns {@code 1 / (1 + e⁻ˣ)}, never NaN for finite x. */
    public static float sigmoid(float x) {
        return ScalarMath.sigmoid(x);
    }

    /** Returns {@code log(1 + eˣ)} without overflow. */
    public static float softplus(float x) {
        return ScalarMath.softplus(x);
    }
}
