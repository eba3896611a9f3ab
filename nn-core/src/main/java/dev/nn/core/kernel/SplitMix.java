package dev.nn.core.kernel;

/**
 * SplitMix64, the generator behind {@code dev.nn.core.Generator}, as plain functions: draw i
 * (from 1) after state s is {@code mix(s + i·GAMMA)}, so a run of draws can be computed in any
 * order, and {@link ElementwiseKernels#uniform} fills an array with them in vectors.
 */
public final class SplitMix {

    /** The increment of the state per draw: the odd integer nearest 2^64 divided by the golden ratio. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    private SplitMix() {
    }

    /** Returns the 64 random bits of the draw whose advanced state is {@code z} (a bijective finalizer). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Returns a uniform float in [0, 1), a multiple of 2⁻²⁴: the top 24 of {@code bits}. */
    public static float unit(long bits) {
        return (bits >>> 40) * 0x1.0p-24f;
    }
}
