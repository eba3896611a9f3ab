package dev.nn.core.kernel;

/**
 * Runs the micro-kernels over one packed block of A and one packed block of B (BLIS's
 * macro-kernel): full tiles through the register tile a {@link Gemm} chose, in runs where C is
 * only stored; a last panel of B that is mostly padding through the edge kernels of
 * {@link MicroKernels}, and blocks of fewer rows than a micro-panel through its row kernel;
 * partial tiles of C through a scratch tile.
 */
final class MacroKernel {

    private static final int MR = PackKernels.MR;
    // Columns of packed B that one sweep of A micro-panels covers (KC·256 floats = 256 KiB, in L2).
    static final int GROUP_COLUMNS = 256;
    // A block of C up to this many floats (64 KiB) stays in L2 while tiles walk down it.
    static final int SMALL_C_FLOATS = 16 * 1024;
    // At kc up to this, a kernel call a tile cost 7-13% of the tile (about 20 ns a call), so runs
    // of full tiles that only store C go through one call of MicroKernel.tiles instead. Deeper
    // blocks gained nothing measurable from it (0.94-1.06 side by side).
    static final int LOOP_KC = 128;

    private final int nr;
    private final boolean tall;
    private final MicroKernel squareKernel;
    private final MicroKernel tallKernel;
    private final MicroKernel narrowKernel;
    private final MicroKernel quarterKernel;
    private final MicroKernel columnsKernel;
    private final MicroKernel rowKernel;

    /** Runs {@code tile}, one of the family's {@link MicroKernels#tiles()}, for the full tiles. */
    MacroKernel(MicroKernels family, MicroKernel tile) {
        this.nr = family.panelWidth();
        this.tall = tile == family.tall();
        this.squareKernel = family.square();
        this.tallKernel = family.tall();
        this.narrowKernel = family.narrow();
        this.quarterKernel = family.quarter();
        this.columnsKernel = family.columns();
        this.rowKernel = family.row();
    }

    /**
     * Updates rows [ic, ic + mc) and columns [jc, jc + nc) of C from packed A (micro-panels of
     * that block over kc) and packed B (its panels over kc, from {@code bPack[bo]}); {@code tile}
     * is a scratch tile of 2·MR·NR floats, for partial tiles of C.
     */
    void block(float[] aPack, int ic, int mc, int kc, float alpha, boolean accumulate, float[] bPack, int bo,
               int jc, int nc, float[] tile, float[] c, int co, int ldc) {
        if (mc < MR) {
            rowBlock(aPack, mc, kc, alpha, accumulate, bPack, bo, jc, nc, ic, tile, c, co, ldc);
            return;
        }
        int panels = (nc + nr - 1) / nr;
        int rows = (mc + MR - 1) / MR;
        // A last panel of B at most half full (4 of 16 columns at N = 100) goes through the
        // narrow kernel, eight rows by NR/2 columns: half the padded work of 4×NR tiles.
        int wide = nc - (panels - 1) * nr <= nr / 2 ? panels - 1 : panels;
        // Full tiles (not at C's lower or right edge) in runs through one call when kc is short
        // and C is only stored. With the tall tile, rows of A micro-panels go in pairs (and a
        // last odd one through the 4-row tile).
        boolean runs = kc <= LOOP_KC && !accumulate;
        int step = tall ? 2 : 1;
        int fullRows = runs ? mc / (step * MR) * step : 0;
        int fullPanels = runs ? nc / nr : 0;
        int cBlock = co + ic * ldc + jc;
        if ((long) mc * nc <= SMALL_C_FLOATS) {
            // C's block fits in L2: keep each B micro-panel in L1 and walk down the A panels.
            for (int q = 0; q < wide; q++) {
                int r = 0;
                if (q < fullPanels) {
                    if (tall) {
                        tallKernel.tiles(kc, aPack, 0, 2 * kc * MR, bPack, bo + q * kc * nr, 0, fullRows / 2,
                                alpha, c, cBlock + q * nr, 2 * MR * ldc, ldc);
                    } else {
                        squareKernel.tiles(kc, aPack, 0, kc * MR, bPack, bo + q * kc * nr, 0, fullRows, alpha,
                                c, cBlock + q * nr, MR * ldc, ldc);
                    }
                    r = fullRows;
                }
                if (tall) {
                    for (; r + 1 < rows; r += 2) {
                        tallTile(aPack, r, mc, kc, alpha, accumulate, bPack, bo, q, jc, nc, ic, tile, c, co, ldc);
                    }
                }
                for (; r < rows; r++) {
                    tile(aPack, r, mc, kc, alpha, accumulate, bPack, bo, q, jc, nc, ic, tile, c, co, ldc);
                }
            }
        } else {
            // Within a group of B micro-panels (KC × 256 floats, which stays in L2), each A
            // micro-panel sweeps left to right, so consecutive tiles of C are adjacent in memory
            // and the hardware prefetcher streams them in. Walking down C instead (tiles 4 rows
            // apart) stalled on every tile's C lines: 50 instead of 85 GFLOP/s once C outgrew L2.
            int group = Math.max(1, GROUP_COLUMNS / nr);
            for (int q0 = 0; q0 < wide; q0 += group) {
                int q1 = Math.min(wide, q0 + group);
                int run = Math.max(0, Math.min(q1, fullPanels) - q0);
                for (int r = 0; r < rows; r += step) {
                    int q = q0;
                    if (r < fullRows && run > 0) {
                        if (tall) {
                            tallKernel.tiles(kc, aPack, r * kc * MR, 0, bPack, bo + q0 * kc * nr, kc * nr, run,
                                    alpha, c, cBlock + r * MR * ldc + q0 * nr, nr, ldc);
                        } else {
                            squareKernel.tiles(kc, aPack, r * kc * MR, 0, bPack, bo + q0 * kc * nr, kc * nr, run, alpha,
                                    c, cBlock + r * MR * ldc + q0 * nr, nr, ldc);
                        }
                        q += run;
                    }
                    if (tall && r + 1 < rows) {
                        for (; q < q1; q++) {
                            tallTile(aPack, r, mc, kc, alpha, accumulate, bPack, bo, q, jc, nc, ic, tile, c, co, ldc);
                        }
                    }
                    for (; q < q1; q++) {
                        tile(aPack, r, mc, kc, alpha, accumulate, bPack, bo, q, jc, nc, ic, tile, c, co, ldc);
                    }
                }
            }
        }
        if (wide < panels) {
            int r = 0;
            // A last panel of at most MR columns (4 of 16 or 32 at N = 100), where NR is 4·MR or
            // more, goes through the columns kernel, 4·MR rows by MR columns: narrow tiles there
            // were half padding (three quarters at NR = 32), and that panel took 2-5 times its
            // share of 1000x100x64 and 64x100x1000.
            if (nr >= 4 * MR && nc - wide * nr <= MR) {
                for (; r + 3 < rows; r += 4) {
                    columnsTile(aPack, r, mc, kc, alpha, accumulate, bPack, bo, wide, jc, nc, ic, tile, c, co, ldc);
                }
            }
            // Where NR is 8·MR or more (16 lanes), a last panel of more than MR columns but at most
            // NR/4 (6 of 32 at N = 70) goes through the quarter kernel, 2·MR rows by NR/4 columns
            // on half vectors.
            if (nr >= 8 * MR && nc - wide * nr <= nr / 4) {
                for (; r + 1 < rows; r += 2) {
                    quarterTile(aPack, r, mc, kc, alpha, accumulate, bPack, bo, wide, jc, nc, ic, tile, c, co, ldc);
                }
            }
            for (; r + 1 < rows; r += 2) {
                narrowTile(aPack, r, mc, kc, alpha, accumulate, bPack, bo, wide, jc, nc, ic, tile, c, co, ldc);
            }
            if (r < rows) {
                tile(aPack, r, mc, kc, alpha, accumulate, bPack, bo, wide, jc, nc, ic, tile, c, co, ldc);
            }
        }
    }

    /**
     * Updates a block of fewer rows than a micro-panel (answering a request or a few): four full
     * panels at a time through the row kernel, row by row, where the other tiles would spend most
     * of their multiply-adds on the micro-panel's padding (a 784-512-256-10 forward at one row
     * took 28 µs with MR-row tiles); the panels left through the MR-row tile.
     */
    private void rowBlock(float[] aPack, int mc, int kc, float alpha, boolean accumulate, float[] bPack, int bo,
                          int jc, int nc, int ic, float[] tile, float[] c, int co, int ldc) {
        int groups = nc / nr / 4;
        int cBlock = co + ic * ldc + jc;
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < mc; i++) {
                rowKernel.tile(kc, aPack, i, bPack, bo + 4 * g * kc * nr, alpha, accumulate, c,
                        cBlock + i * ldc + 4 * g * nr, ldc);
            }
        }
        for (int q = 4 * groups; q < (nc + nr - 1) / nr; q++) {
            tile(aPack, 0, mc, kc, alpha, accumulate, bPack, bo, q, jc, nc, ic, tile, c, co, ldc);
        }
    }

    /** Updates the tile of C at A micro-panel r and B micro-panel q. */
    private void tile(float[] aPack, int r, int mc, int kc, float alpha, boolean accumulate, float[] bPack, int bo,
                      int q, int jc, int nc, int ic, float[] tile, float[] c, int co, int ldc) {
        int i0 = r * MR;
        int height = Math.min(MR, mc - i0);
        int j0 = q * nr;
        int width = Math.min(nr, nc - j0);
        int cOff = co + (ic + i0) * ldc + jc + j0;
        // An edge tile runs the same micro-kernel on a copy, so edges round like the rest.
        // One call site for both: with two, edge-heavy shapes measured 2x slower.
        boolean edge = height < MR || width < nr;
        if (edge && accumulate) {
            copy(c, cOff, ldc, tile, 0, nr, height, width);
        }
        squareKernel.tile(kc, aPack, r * kc * MR, bPack, bo + q * kc * nr, alpha, accumulate,
                edge ? tile : c, edge ? 0 : cOff, edge ? nr : ldc);
        if (edge) {
            copy(tile, 0, nr, c, cOff, ldc, height, width);
        }
    }

    /**
     * Updates the 2·MR × NR tile of C at A micro-panels r and r + 1 and B micro-panel q, as
     * {@link #tile} does its tile (a method of its own for the reason {@link #narrowTile} is one).
     */
    private void tallTile(float[] aPack, int r, int mc, int kc, float alpha, boolean accumulate, float[] bPack, int bo,
                          int q, int jc, int nc, int ic, float[] tile, float[] c, int co, int ldc) {
        int i0 = r * MR;
        int height = Math.min(2 * MR, mc - i0);
        int j0 = q * nr;
        int width = Math.min(nr, nc - j0);
        int cOff = co + (ic + i0) * ldc + jc + j0;
        boolean edge = height < 2 * MR || width < nr;
        if (edge && accumulate) {
            copy(c, cOff, ldc, tile, 0, nr, height, width);
        }
        tallKernel.tile(kc, aPack, r * kc * MR, bPack, bo + q * kc * nr, alpha, accumulate,
                edge ? tile : c, edge ? 0 : cOff, edge ? nr : ldc);
        if (edge) {
            copy(tile, 0, nr, c, cOff, ldc, height, width);
        }
    }

    /**
     * Updates the 2·MR × NR/2 tile of C at A micro-panels r and r + 1 and the last B
     * micro-panel q, whose columns fit in its first half; edges go through the scratch tile as
     * in {@link #tile}. (A method of its own: one method calling either kernel measured slower
     * side by side, also where no tile is narrow: 0.74 and 0.91 at 1000x100x64:TN, 0.95 and
     * 0.97 at 512³.)
     */
    private void narrowTile(float[] aPack, int r, int mc, int kc, float alpha, boolean accumulate, float[] bPack,
                            int bo,
                            int q, int jc, int nc, int ic, float[] tile, float[] c, int co, int ldc) {
        int i0 = r * MR;
        int height = Math.min(2 * MR, mc - i0);
        int j0 = q * nr;
        int width = nc - j0;
        int half = nr / 2;
        int cOff = co + (ic + i0) * ldc + jc + j0;
        boolean edge = height < 2 * MR || width < half;
        if (edge && accumulate) {
            copy(c, cOff, ldc, tile, 0, half, height, width);
        }
        narrowKernel.tile(kc, aPack, r * kc * MR, bPack, bo + q * kc * nr, alpha, accumulate,
                edge ? tile : c, edge ? 0 : cOff, edge ? half : ldc);
        if (edge) {
            copy(tile, 0, half, c, cOff, ldc, height, width);
        }
    }

    /**
     * As {@link #narrowTile}, for a last panel of at most NR/4 columns, through the quarter
     * kernel. (A method of its own, as narrowTile is: one method for both, choosing the kernel
     * by a parameter, measured 0.96 side by side at 1000x70x64:TN and 1000x112x64:TN, 0.98 at
     * 64x112x1000.)
     */
    private void quarterTile(float[] aPack, int r, int mc, int kc, float alpha, boolean accumulate, float[] bPack,
                             int bo,
                             int q, int jc, int nc, int ic, float[] tile, float[] c, int co, int ldc) {
        int i0 = r * MR;
        int height = Math.min(2 * MR, mc - i0);
        int j0 = q * nr;
        int width = nc - j0;
        int quarter = nr / 4;
        int cOff = co + (ic + i0) * ldc + jc + j0;
        boolean edge = height < 2 * MR || width < quarter;
        if (edge && accumulate) {
            copy(c, cOff, ldc, tile, 0, quarter, height, width);
        }
        quarterKernel.tile(kc, aPack, r * kc * MR, bPack, bo + q * kc * nr, alpha, accumulate,
                edge ? tile : c, edge ? 0 : cOff, edge ? quarter : ldc);
        if (edge) {
            copy(tile, 0, quarter, c, cOff, ldc, height, width);
        }
    }

    /**
     * Updates the 4·MR × MR tile of C at A micro-panels r to r + 3 and the last B micro-panel q,
     * of at most MR columns. The kernel stores it transposed, so it goes through the scratch
     * tile (MR·NR = 4·MR·MR floats), C's part copied in transposed when accumulating and out
     * transposed after.
     */
    private void columnsTile(float[] aPack, int r, int mc, int kc, float alpha, boolean accumulate, float[] bPack,
                             int bo,
                             int q, int jc, int nc, int ic, float[] tile, float[] c, int co, int ldc) {
        int i0 = r * MR;
        int height = Math.min(4 * MR, mc - i0);
        int width = nc - q * nr;
        int cOff = co + (ic + i0) * ldc + jc + q * nr;
        if (accumulate) {
            for (int i = 0; i < height; i++) {
                for (int j = 0; j < width; j++) {
                    tile[j * 4 * MR + i] = c[cOff + i * ldc + j];
                }
            }
        }
        columnsKernel.tile(kc, aPack, r * kc * MR, bPack, bo + q * kc * nr, alpha, accumulate, tile, 0, 4 * MR);
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                c[cOff + i * ldc + j] = tile[j * 4 * MR + i];
            }
        }
    }

    /**
     * Copies a rows × cols block between C and the scratch tile. Only C's part of an edge tile
     * goes in and out: the rest of the scratch tile keeps what an earlier edge tile left there,
     * on which no element of C depends (each element of a tile is a sum of its own).
     */
    private static void copy(float[] src, int so, int lds, float[] dst, int dof, int ldd, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                dst[dof + i * ldd + j] = src[so + i * lds + j];
            }
        }
    }
}
