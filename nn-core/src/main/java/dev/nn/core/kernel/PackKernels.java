package dev.nn.core.kernel;

/**
 * Packing (BLIS's level 1m): copies blocks of A and B into the panels the {@link MicroKernel}s
 * read, full panels only; {@code Packer} pads the edges.
 *
 * <p>A is packed as micro-panels of {@value #MR} rows, k-major (the MR values of one k side by
 * side); B as panels of {@link #panelWidth()} columns, row after row. A micro-kernel of more rows
 * reads consecutive micro-panels, so one packing serves every tile of a width.
 */
public interface PackKernels {

    /** Rows of an A micro-panel. */
    int MR = 4;

    /** Returns NR, the columns of a packed B panel. */
    int panelWidth();

    /**
     * Packs {@code rows} rows of {@code panels·NR} floats of a row-major matrix into panels of
     * NR columns: {@code dst[dOff + q·rows·NR + p·NR + j] = b[bo + p·ldb + q·NR + j]}.
     */
    void packPanels(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff);

    /**
     * Packs {@code panels} panels of NR columns of a transposed B (stored n×k, used as its k×n
     * transpose): {@code dst[dOff + q·rows·NR + p·NR + j] = b[bo + (q·NR + j)·ldb + p]}.
     */
    void packPanelsTransposed(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff);

    /**
     * Packs {@code panels} micro-panels of MR rows of a row-major A, k-major:
     * {@code dst[r·kc·MR + p·MR + i] = a[ao + (r·MR + i)·lda + p]}.
     */
    void packRowPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst);

    /**
     * Packs {@code panels} micro-panels of MR rows of a transposed A (stored k×m, used as its
     * m×k transpose), k-major: {@code dst[r·kc·MR + p·MR + i] = a[ao + p·lda + r·MR + i]}.
     */
    void packColumnPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst);
}
