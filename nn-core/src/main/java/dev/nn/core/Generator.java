package dev.nn.core;

import dev.nn.core.kernel.SplitMix;

/**
 * A seeded source of random numbers; there is no global one, every random draw takes a generator.
 *
 * <p>SplitMix64: a 64-bit state advanced by a constant and mixed by a bijective finalizer, fast
 * and statistically sound for initialization, shuffling and dropout. The state can be read and
 * restored, so training can resume with the exact same draws. Gaussians use Box-Muller on
 * {@link StrictMath}, so the same state yields the same bits on every JDK and JIT tier.
 * Not thread-safe: give each thread its own generator.
 */
public final class Generator {

    private long state;

    /** Creates a generator whose draws are fully determined by {@code seed}. */
    public Generator(long seed) {
        this.state = seed;
    }

    /** Returns the current state; {@link #restore} with it replays the same draws. */
    public long state() {
        return state;
    }

    /** Sets the state to one returned by {@link #state}. */
    public void restore(long state) {
        this.state = state;
    }

    /** Returns 64 uniformly random bits. */
    public long nextLong() {
        return SplitMix.mix(state += SplitMix.GAMMA);
    }

    /** Returns a uniform float in [0, 1), a multiple of 2⁻²⁴. */
    public float nextFloat() {
        return SplitMix.unit(nextLong());
    }

    /**
     * Skips {@code n} draws and returns the state before them: draw i (from 1) of those is
     * {@code SplitMix.mix(returned + i·GAMMA)}, for kernels that fill an array with them.
     */
    long skip(long n) {
        long before = state;
        state += n * SplitMix.GAMMA;
        return before;
    }

    /** Returns a uniform int in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be > 0, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        long r;
        do {
            r = nextLong() >>> 32;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** Returns a standard normal draw (mean 0, standard deviation 1). */
    public float nextGaussian() {
        // 53-bit uniform in (0, 1] so the logarithm is finite.
        double u1 = ((nextLong() >>> 11) + 1) * 0x1.0p-53;
        double u2 = (nextLong() >>> 11) * 0x1.0p-53;
        return (float) (StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2));
    }
}
