package dev.nn.core.kernel;

/**
 * The primitive float loops every tensor operation is built from.
 *
 * <p>Two implementations exist: {@link ScalarKernels}, plain loops that are the specification,
 * and {@code SimdKernels} on the Vector API. For the same inputs they return bit-identical
 * results: lane-wise work uses the same operations in the same order (fused multiply-adds where
 * the scalar twin uses {@link Math#fma}), reductions keep a fixed logical width of
 * {@value #REDUCTION_WIDTH} partial sums combined in a fixed tree, and transcendental functions
 * use our own polynomials. Callers validate; kernels only {@code assert}.
 */
public interface Kernels {

    /** The number of partial sums every sum keeps, whatever the vector width. */
    int REDUCTION_WIDTH = 16;

    /** Returns a short name for logs and benchmarks, for example {@code simd(8 lanes)}. */
    String name();

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

    /**
     * Applies one Adam update in place to {@code n} elements of each array, starting at its own
     * offset, element by element in this order (the order of the unfused tensor operations it replaces):
     * <pre>
     * g' = g + weightDecay·p                       (two roundings; weightDecay 0 leaves g)
     * m  = fma(1 - beta1, g', m·beta1)
     * v  = fma(1 - beta2, g'·g', v·beta2)
     * w  = amsgrad ? (vmax = max(vmax, v)) : v     (vmax null when not amsgrad)
     * p  = fma(-stepSize, m / (sqrt(w) / bc2Sqrt + eps), p)
     * </pre>
     */
    void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, float[] vmax, int xo,
              int n, float beta1, float beta2, float weightDecay, float stepSize, float bc2Sqrt, float eps);

    /** Returns {@code Σ x[xo + i]} for {@code i < n} in the fixed deterministic order; 0 when n is 0. */
    float sum(float[] x, int xo, int n);

    /** Returns {@code max x[xo + i]} for {@code i < n} (NaN if any is NaN); -∞ when n is 0. */
    float max(float[] x, int xo, int n);

    /**
     * Packs {@code rows} rows of {@code panels·NR} floats of a row-major matrix into panels of
     * NR columns for {@link #gemmTile}:
     * {@code dst[dOff + q·rows·NR + p·NR + j] = b[bo + p·ldb + q·NR + j]}.
     */
    void packPanels(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff);

    /**
     * Packs {@code panels} panels of NR columns of a transposed B (stored n×k, used as its k×n
     * transpose) for {@link #gemmTile}:
     * {@code dst[dOff + q·rows·NR + p·NR + j] = b[bo + (q·NR + j)·ldb + p]}.
     */
    void packPanelsTransposed(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff);

    /**
     * Packs {@code panels} micro-panels of {@link Gemm#MR} rows of a row-major A, k-major, for
     * {@link #gemmTile}: {@code dst[r·kc·MR + p·MR + i] = a[ao + (r·MR + i)·lda + p]}.
     */
    void packRowPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst);

    /**
     * Packs {@code panels} micro-panels of {@link Gemm#MR} rows of a transposed A (stored k×m,
     * used as its m×k transpose), k-major: {@code dst[r·kc·MR + p·MR + i] = a[ao + p·lda + r·MR + i]}.
     */
    void packColumnPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst);

    /** Returns the width NR of the GEMM register tile (columns of C per micro-kernel call). */
    int gemmNr();

    /**
     * Updates one {@link Gemm#MR}×{@link #gemmNr()} tile of C from packed panels:
     * {@code C[i][j] = fma(alpha, Σₖ a[k·MR + i]·b[k·NR + j], C[i][j])}, where the sum runs over
     * {@code k < kc} sequentially with fused multiply-adds, and {@code C[i][j]} is
     * {@code c[co + i·ldc + j]}. Unless {@code accumulate}, C's old values are not read and
     * +0 stands in for each of them (the same bits as accumulating onto a zeroed tile).
     */
    void gemmTile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                  float[] c, int co, int ldc);

    /**
     * Stores {@code tiles} tiles of C in one call, each exactly as {@link #gemmTile} would
     * without accumulating: tile t is {@code gemmTile(kc, a, ao + t·aStep, b, bo + t·bStep,
     * alpha, false, c, co + t·cStep, ldc)}, so C's old values are not read. The steps walk a row
     * of tiles (A fixed, B and C stepping by a panel) or a column (B fixed, A and C stepping by
     * a micro-panel and MR rows).
     */
    void gemmTiles(int kc, float[] a, int ao, int aStep, float[] b, int bo, int bStep, int tiles, float alpha,
                   float[] c, int co, int cStep, int ldc);

    /**
     * Adds to one 2·{@link Gemm#MR}×{@link #gemmNr()} tile of C from two A micro-panels, for cores
     * that keep more multiply-adds in flight than {@link #gemmTile} has accumulators: rows
     * {@code i < MR} from the micro-panel at {@code ao}, rows {@code MR + i} from the next one, at
     * {@code ao + kc·MR}:
     * {@code C[i][j] = fma(alpha, Σₖ a[ao + (i / MR)·kc·MR + k·MR + i % MR]·b[bo + k·NR + j], C[i][j])},
     * the same sequence of fused multiply-adds as {@link #gemmTile} runs, so an element's bits do
     * not depend on which tile computed it. It always reads C; {@link #gemmTilesTall} stores
     * tiles without reading it.
     */
    void gemmTileTall(int kc, float[] a, int ao, float[] b, int bo, float alpha, float[] c, int co, int ldc);

    /**
     * Stores {@code tiles} tiles of 2·MR×NR in one call, each the sums of {@link #gemmTileTall}
     * with +0 standing in for C's old values, which are not read: tile t is stored from A at
     * {@code ao + t·aStep}, B at {@code bo + t·bStep} and C at {@code co + t·cStep} (a row of
     * tiles, or a column with A stepping by two micro-panels and C by 2·MR rows).
     */
    void gemmTilesTall(int kc, float[] a, int ao, int aStep, float[] b, int bo, int bStep, int tiles, float alpha,
                       float[] c, int co, int cStep, int ldc);

    /**
     * Updates one 2·{@link Gemm#MR}×(NR/2) tile of C, for a last panel of B at most half full:
     * rows {@code i < MR} from the A micro-panel at {@code ao}, rows {@code MR + i} from the next
     * one, at {@code ao + kc·MR}; columns from the first NR/2 floats of each packed B row:
     * {@code C[i][j] = fma(alpha, Σₖ a[ao + (i / MR)·kc·MR + k·MR + i % MR]·b[k·NR + j], C[i][j])},
     * the same sequence of fused multiply-adds as {@link #gemmTile} runs, so an element's bits
     * do not depend on which of the two computed it. {@code accumulate} as in {@link #gemmTile}.
     */
    void gemmTileNarrow(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                        float[] c, int co, int ldc);

    /**
     * Updates one 2·{@link Gemm#MR}×(NR/4) tile of C, for a last panel of B at most a quarter
     * full: {@link #gemmTileNarrow} over the first NR/4 floats of each packed B row instead of
     * NR/2, with {@code C[i][j]} at {@code c[co + i·ldc + j]} and the same sums, so the same bits.
     */
    void gemmTileQuarter(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                         float[] c, int co, int ldc);

    /**
     * Updates one 4·{@link Gemm#MR}×{@link Gemm#MR} tile of C, for a last panel of B of at most
     * MR columns, and stores it transposed: rows {@code i < 4·MR} from the four A micro-panels
     * from {@code ao} (row i in micro-panel i / MR), columns from the first MR floats of each
     * packed B row, and {@code C[i][j]} is {@code c[co + j·ldc + i]}:
     * {@code C[i][j] = fma(alpha, Σₖ a[ao + (i / MR)·kc·MR + k·MR + i % MR]·b[bo + k·NR + j], C[i][j])},
     * the same sequence of fused multiply-adds as {@link #gemmTile} runs. {@code accumulate} as in
     * {@link #gemmTile}.
     */
    void gemmTileColumns(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                         float[] c, int co, int ldc);
}
