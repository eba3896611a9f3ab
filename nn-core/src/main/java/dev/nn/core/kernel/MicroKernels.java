package dev.nn.core.kernel;

import java.util.List;

/**
 * The micro-kernels of one panel width NR: the register tiles a GEMM chooses among, and the
 * kernels it runs at the edges where a last panel of B is narrow.
 *
 * <ul>
 * <li>{@link #tiles()}: MR × NR (8 accumulators at two vectors a row) and 2·MR × NR (16), for
 *     cores that keep more multiply-adds in flight;
 * <li>{@link #narrow()}: 2·MR × NR/2, for a last panel at most half full;
 * <li>{@link #quarter()}: 2·MR × NR/4, for one at most a quarter full;
 * <li>{@link #columns()}: 4·MR × MR stored transposed, for one of at most MR columns;
 * <li>{@link #row()}: 1 × 4·NR, one row of A against four panels, for products of fewer rows
 *     than a micro-panel (answering one request), which the other tiles would run mostly on padding.
 * </ul>
 * All of them read the same packing, so they can be mixed within one product.
 */
public final class MicroKernels {

    private final int panelWidth;
    private final MicroKernel square;
    private final MicroKernel tall;
    private final MicroKernel narrow;
    private final MicroKernel quarter;
    private final MicroKernel columns;
    private final MicroKernel row;

    /**
     * Gathers one width's kernels, checking that each has its role's shape.
     *
     * @throws IllegalArgumentException if a kernel's shape is not its role's
     */
    MicroKernels(int panelWidth, MicroKernel square, MicroKernel tall, MicroKernel narrow, MicroKernel quarter,
                 MicroKernel columns, MicroKernel row) {
        final int mr = PackKernels.MR;
        check("square", square, mr, panelWidth, false);
        check("tall", tall, 2 * mr, panelWidth, false);
        check("narrow", narrow, 2 * mr, panelWidth / 2, false);
        check("quarter", quarter, 2 * mr, panelWidth / 4, false);
        check("columns", columns, 4 * mr, mr, true);
        check("row", row, 1, 4 * panelWidth, false);
        this.panelWidth = panelWidth;
        this.square = square;
        this.tall = tall;
        this.narrow = narrow;
        this.quarter = quarter;
        this.columns = columns;
        this.row = row;
    }

    private static void check(String role, MicroKernel k, int rows, int cols, boolean transposed) {
        if (k.rows() != rows || k.columns() != cols || k.transposed() != transposed) {
            throw new IllegalArgumentException("micro-kernels: the " + role + " kernel must be " + rows + "x" + cols
                    + (transposed ? " stored transposed" : "") + ", got " + k.shape()
                    + (k.transposed() ? " stored transposed" : ""));
        }
    }

    /** Returns NR, the width of the B panels every kernel here reads. */
    public int panelWidth() {
        return panelWidth;
    }

    /** Returns the register tiles a GEMM may run for its full tiles, fewest rows first. */
    public List<MicroKernel> tiles() {
        return List.of(square, tall);
    }

    /** Returns the MR × NR tile. */
    public MicroKernel square() {
        return square;
    }

    /** Returns the 2·MR × NR tile. */
    public MicroKernel tall() {
        return tall;
    }

    /** Returns the 2·MR × NR/2 tile, for a last panel of B at most half full. */
    public MicroKernel narrow() {
        return narrow;
    }

    /** Returns the 2·MR × NR/4 tile, for a last panel of B at most a quarter full. */
    public MicroKernel quarter() {
        return quarter;
    }

    /** Returns the 4·MR × MR tile stored transposed, for a last panel of B of at most MR columns. */
    public MicroKernel columns() {
        return columns;
    }

    /** Returns the 1 × 4·NR tile: one row of an A micro-panel against four consecutive B panels. */
    public MicroKernel row() {
        return row;
    }
}
