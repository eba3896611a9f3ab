package dev.nn.core.kernel;

/**
 * A GEMM micro-kernel (BLIS's level 3): keeps a {@link #rows()}×{@link #columns()} tile of C in
 * registers over a block of k, reading packed panels.
 *
 * <p>It reads consecutive A micro-panels from {@code ao} (row i of the tile from micro-panel
 * i / MR, each {@code kc·MR} floats; MR is {@link PackKernels#MR}) and consecutive B panels packed
 * NR wide (its family's {@link MicroKernels#panelWidth()}) from {@code bo} (column j from panel
 * j / NR, each {@code kc·NR} floats; a kernel of at most NR columns reads the first columns of
 * one), and computes
 * <pre>
 * A[i][k] = a[ao + (i / MR)·kc·MR + k·MR + i % MR]
 * B[k][j] = b[bo + (j / NR)·kc·NR + k·NR + j % NR]
 * C[i][j] = fma(alpha, Σₖ A[i][k]·B[k][j], C[i][j])
 * </pre>
 * with the sum over {@code k < kc} run sequentially in fused multiply-adds from +0. Every kernel
 * runs that same sequence for an element, so which kernel computed it never changes its bits.
 * {@code C[i][j]} is {@code c[co + i·ldc + j]}, or {@code c[co + j·ldc + i]} for a kernel that
 * stores {@link #transposed()}. Unless {@code accumulate}, C's old values are not read and +0
 * stands in for each of them (the same bits as accumulating onto a zeroed tile).
 */
public interface MicroKernel {

    /** Returns the rows of C a call updates: a multiple of {@link PackKernels#MR}, or fewer rows of one micro-panel. */
    int rows();

    /** Returns the columns of C a call updates: at most the family's panel width, or whole panels. */
    int columns();

    /** Returns whether the tile is stored transposed: {@code C[i][j]} at {@code c[co + j·ldc + i]}. */
    default boolean transposed() {
        return false;
    }

    /** Returns the tile's shape as rows × columns of C: {@code 4x32}, {@code 8x32}, .... */
    default String shape() {
        return rows() + "x" + columns();
    }

    /** Updates one tile of C, as the class comment defines. */
    void tile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
              float[] c, int co, int ldc);

    /**
     * Stores {@code tiles} tiles of C in one call, each as {@link #tile} would without
     * accumulating: tile t is {@code tile(kc, a, ao + t·aStep, b, bo + t·bStep, alpha, false,
     * c, co + t·cStep, ldc)}, so C's old values are not read. The steps walk a row of tiles (A
     * fixed, B and C stepping by a panel) or a column (B fixed, A and C stepping by the tile's
     * micro-panels and rows). Kernels whose call costs a measurable part of a short tile run the
     * loop inside.
     */
    default void tiles(int kc, float[] a, int ao, int aStep, float[] b, int bo, int bStep, int tiles, float alpha,
                       float[] c, int co, int cStep, int ldc) {
        for (int t = 0; t < tiles; t++) {
            tile(kc, a, ao + t * aStep, b, bo + t * bStep, alpha, false, c, co + t * cStep, ldc);
        }
    }
}
