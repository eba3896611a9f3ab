package dev.nn.core.kernel;

import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorBiFunction;
import dev.nn.core.function.VectorFunction;

/**
 * Elementwise loops and reductions (BLAS level 1): the kernels every tensor operation but the
 * matrix product is built from.
 *
 * <p>{@link ScalarElementwise} is the specification and {@code SimdElementwise} repeats it on the
 * Vector API with the same bits: lane-wise work uses the same operations in the same order (fused
 * multiply-adds where the scalar twin uses {@link Math#fma}), reductions keep a fixed logical
 * width of {@value #REDUCTION_WIDTH} partial sums combined in a fixed tree, and transcendental
 * functions use our own polynomials. Callers validate; kernels only {@code assert}.
 */
public interface ElementwiseKernels {

    /** The number of partial sums every sum keeps, whatever the vector width. */
    int REDUCTION_WIDTH = 16;

    /** Computes {@code y[yo + i] = op(x[xo + i])} for {@code i < n}; x and y may be the same range. */
    void unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n);

    /**
     * Computes {@code y[yo + i] = op(a[ao + i·aInc], b[bo + i·bInc])} for {@code i < n}.
     * Each increment is 0 (a broadcast scalar) or 1; y may coincide with a or b.
     */
    void binary(BinaryOp op, float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                float[] y, int yo, int n);

    /**
     * Computes {@code y[yo + i] = fma(alpha, x[xo + i], y[yo + i])} for {@code i < n} (BLAS's
     * axpy; with alpha 1 it is exactly {@code y + x}).
     */
    void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

    /**
     * Fills {@code y[yo + i]}, {@code i < n}, with {@code SplitMix.unit(SplitMix.mix(state + (i + 1)·GAMMA))}:
     * the n uniform floats a generator at {@code state} draws next, in order.
     */
    void uniform(long state, float[] y, int yo, int n);

    /**
     * Computes {@code out[oo + i] = g[go + i]·op'(x)} for {@code i < n}: the chain rule through an
     * activation in one pass, for the ops whose {@link UnaryOp#backwardReads()} is not NONE:
     * {@code s} holds what it names, the op's output y or its input x. out may be the range of g.
     */
    void backward(UnaryOp op, float p, float[] g, int go, float[] s, int so, float[] out, int oo, int n);

    /**
     * Returns {@code f} compiled into a loop of its own: the SIMD kernels apply {@code vf}, when it
     * is not null, to whole vectors and {@code f} to the tail; the scalar kernels apply {@code f}.
     */
    MapKernel map(FloatFunction f, VectorFunction vf);

    /** Returns the chain-rule loop {@code out = g·d(x)} of a derivative of the input, compiled as {@link #map} is. */
    GradientKernel gradient(FloatFunction d, VectorFunction vd);

    /** Returns the chain-rule loop {@code out = g·d(x, y)} of a derivative that reads the output y too. */
    GradientKernel gradient(FloatBiFunction d, VectorBiFunction vd);

    /** Returns {@code Σ x[xo + i]} for {@code i < n} in the fixed deterministic order; 0 when n is 0. */
    float sum(float[] x, int xo, int n);

    /** Returns {@code max x[xo + i]} for {@code i < n} (NaN if any is NaN); -∞ when n is 0. */
    float max(float[] x, int xo, int n);
}
