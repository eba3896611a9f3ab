package dev.nn.core.kernel;

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
     * Computes {@code y[yo + i] = f(x[xo + i])} for {@code i < n}. The SIMD kernels apply
     * {@code vf}, when it is not null, to whole vectors and {@code f} to the tail; the scalar
     * kernels apply {@code f} everywhere. x and y may be the same range.
     */
    void map(FloatFunction f, VectorFunction vf, float[] x, int xo, float[] y, int yo, int n);

    /** Returns {@code Σ x[xo + i]} for {@code i < n} in the fixed deterministic order; 0 when n is 0. */
    float sum(float[] x, int xo, int n);

    /** Returns {@code max x[xo + i]} for {@code i < n} (NaN if any is NaN); -∞ when n is 0. */
    float max(float[] x, int xo, int n);
}
