package dev.nn.core.kernel;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-precision matrix multiply with BLAS semantics, blocked for the caches (Goto's algorithm
 * as BLIS lays it out): {@code C = alpha·op(A)·op(B) + beta·C}.
 *
 * <p>For each KC×NC panel of op(B) (packed, kept in L3) and each MC×KC block of op(A)
 * (packed, kept in L2), the micro-kernel {@link Kernels#gemmTile} keeps an {@value #MR}×NR
 * tile of C in registers over the whole KC loop, or, with the 8-row tile (see {@link #tileRows}),
 * {@link Kernels#gemmTileTall} a 2·MR×NR tile from two A micro-panels (for short blocks of k
 * that only store C, a run of full tiles per call of {@link Kernels#gemmTiles} or
 * {@link Kernels#gemmTilesTall}); a last panel of B at most half full takes
 * {@link Kernels#gemmTileNarrow}, 2·MR × NR/2, instead, one at most a quarter full (at NR >=
 * 8·MR) {@link Kernels#gemmTileQuarter}, 2·MR × NR/4, and one of at most MR columns (at NR >=
 * 4·MR) {@link Kernels#gemmTileColumns}, 4·MR × MR. Packing pads edges with zeros, so the
 * micro-kernels never check bounds; partial tiles of C go through a scratch tile.
 *
 * <p>The tile is chosen once per GEMM ({@value #TILE_PROPERTY}); every tile runs each element's
 * sum in the same order, so the choice changes speed, never bits.
 *
 * <p>Threads split M and N only, each owning a rectangle of C and packing its own panels, so
 * a call forks and joins once; where every such split would pack much of A or B twice, they
 * split M and share each packed block of B instead, meeting at a barrier before and after it
 * (BLIS's threads share packed B the same way). Every element of C is the same sequence of fused
 * multiply-adds over k whatever the thread count, so results are bit-identical for any
 * number of threads, and identical between the scalar and SIMD kernels.
 */
public final class Gemm {

    /**
     * Rows of an A micro-panel, and of the smaller register tile: 4 rows × 2 vectors keeps 8
     * accumulators, which C2 does not spill even with AVX2's 16 vector registers.
     */
    public static final int MR = 4;

    /**
     * The system property that chooses the register tile: {@code auto} (the default) or rows ×
     * columns of C, {@code 4xNR} or {@code 8xNR} with NR the kernels' panel width (for example
     * {@code -Dnn.gemm.tile=4x32} where vectors have 16 lanes).
     */
    public static final String TILE_PROPERTY = "nn.gemm.tile";
    // KC·NR floats of B (16 KiB at NR = 16) stay in L1; MC·KC of A (128 KiB) in L2; KC·NC of B in L3.
    static final int KC = 256;
    static final int MC = 128;
    static final int NC = 3072;
    // Columns of packed B that one sweep of A micro-panels covers (KC·256 floats = 256 KiB, in L2).
    static final int GROUP_COLUMNS = 256;
    // A block of C up to this many floats (64 KiB) stays in L2 while tiles walk down it.
    static final int SMALL_C_FLOATS = 16 * 1024;
    // At kc up to this, a kernel call a tile cost 7-13% of the tile (about 20 ns a call), so runs
    // of full tiles that only store C go through one call of Kernels.gemmTiles instead. Deeper
    // blocks gained nothing measurable from it (0.94-1.06 side by side).
    static final int LOOP_KC = 128;
    // A grid that packs at least this many floats twice (about 90 µs of packing) splits M and
    // shares packed B instead: 1.03-1.05 times as fast at 512³-2048³ on two threads (Zen 5). Below
    // it, packing twice is cheaper than reading the other core's half of B: shared, 64x1000x100:NT
    // ran at 0.60 and 1000x100x64:TN at 0.86 of its speed with a grid.
    static final long SHARED_B_FLOATS = 1L << 18;
    // Below this many flops a second thread costs about what it saves (see BENCHMARKING.md).
    static final long PARALLEL_FLOPS = 1L << 22;

    private static final Logger LOG = LoggerFactory.getLogger(Gemm.class);
    // A tile named as rows × columns: MR or 2·MR rows.
    private static final Pattern TILE = Pattern.compile("(" + MR + "|" + 2 * MR + ")x([1-9][0-9]{0,3})");
    private static final Gemm SHARED = new Gemm(KernelProvider.kernels(), Parallel.shared());

    private final Kernels kernels;
    private final Parallel parallel;
    private final int nr;
    private final boolean tall;
    private final ThreadLocal<Buffers> buffers;

    /**
     * Creates a GEMM that runs {@code kernels} on {@code parallel}, with the tile
     * {@value #TILE_PROPERTY} chooses; where it names a tile of another panel width, {@code auto}.
     */
    public Gemm(Kernels kernels, Parallel parallel) {
        this(kernels, parallel, fittedTile(System.getProperty(TILE_PROPERTY, "auto"), kernels));
    }

    /**
     * Returns {@code tile}, or {@code auto} where it is a tile of rows × columns whose columns are
     * not these kernels' panel width: one setting may serve machines whose vectors differ, and a
     * JVM may run GEMMs on other kernels than the provider's (the scalar twin beside the SIMD
     * kernels in benchmarks). For the provider's kernels that is logged as a warning. Anything
     * else is returned as it is, for the constructor to accept or reject.
     */
    static String fittedTile(String tile, Kernels kernels) {
        Matcher m = TILE.matcher(tile.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Integer.parseInt(m.group(2)) == kernels.gemmNr()) {
            return tile;
        }
        if (kernels == KernelProvider.kernels()) {
            LOG.warn("gemm: -D{}={} names panels {} wide, but the {} kernels' are {}; using auto",
                    TILE_PROPERTY, tile, m.group(2), kernels.name(), kernels.gemmNr());
        }
        return "auto";
    }

    /**
     * Creates a GEMM that runs {@code kernels} on {@code parallel} with the register tile
     * {@code tile}: {@code auto}, or {@code 4xNR} or {@code 8xNR} with NR {@link Kernels#gemmNr()}.
     * Every tile gives the same bits; they differ only in speed.
     *
     * @throws IllegalArgumentException if {@code tile} is none of these
     */
    public Gemm(Kernels kernels, Parallel parallel, String tile) {
        this.kernels = kernels;
        this.parallel = parallel;
        this.nr = kernels.gemmNr();
        this.tall = tileRows(tile, nr, Runtime.version().feature()) == 2 * MR;
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(nr));
        LOG.debug("gemm: register tile {} on {} kernels (asked for {})", tile(), kernels.name(), tile);
    }

    /**
     * Returns the rows of the register tile {@code choice} names for panels {@code nr} wide on
     * JDK {@code jdk}. {@code auto} takes the 8-row tile (16 accumulators) at NR >= 32, 16 lanes,
     * on JDK 25 or newer: AVX-512 has 32 vector registers, and a core with two FMA units, 4
     * cycles deep, needs more than the 4-row tile's 8 multiply-adds in flight (on a Zen 5, whole
     * products ran 1.08-1.14 times as fast on one thread, JDK 25). JDK 17's C2 ran it at 0.58-0.83
     * of the 4-row tile's speed there (JDK 18-24 not measured). At 8 lanes AVX2 has 16 registers,
     * which 16 accumulators would spill.
     */
    static int tileRows(String choice, int nr, int jdk) {
        String c = choice.trim().toLowerCase(Locale.ROOT);
        if (c.equals("auto")) {
            return nr >= 32 && jdk >= 25 ? 2 * MR : MR;
        }
        Matcher m = TILE.matcher(c);
        if (m.matches() && Integer.parseInt(m.group(2)) == nr) {
            return Integer.parseInt(m.group(1));
        }
        throw new IllegalArgumentException("gemm: tile must be auto, " + MR + "x" + nr + " or " + 2 * MR + "x" + nr
                + " with panels " + nr + " wide, got '" + choice + "' (-D" + TILE_PROPERTY + ")");
    }

    /** Returns the register tile this GEMM runs, as rows × columns of C: {@code 4x32}, {@code 8x32}, .... */
    public String tile() {
        return (tall ? 2 * MR : MR) + "x" + nr;
    }

    @Override
    public String toString() {
        return "gemm(" + kernels.name() + ", " + tile() + ")";
    }

    /** Returns the GEMM on the provider's kernels and the shared pool. */
    public static Gemm shared() {
        return SHARED;
    }

    /**
     * Computes {@code C = alpha·op(A)·op(B) + beta·C} where op(A) is m×k, op(B) is k×n, C is m×n.
     *
     * <p>Row-major storage with leading dimensions: element (i, j) of C is {@code c[co + i·ldc + j]};
     * A is stored m×k ({@code a[ao + i·lda + p]}) or, when {@code transA}, k×m
     * ({@code a[ao + p·lda + i]}); likewise B. With {@code beta == 0}, C's old values are
     * ignored (NaN in C does not propagate), as in BLAS. Arguments are trusted.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int ao, int lda, float[] b, int bo, int ldb,
                     float beta, float[] c, int co, int ldc) {
        assert m >= 0 && n >= 0 && k >= 0 && ldc >= n;
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scale(beta, m, n, c, co, ldc);
            return;
        }
        // With beta = 0 the first KC block of k stores its tiles without reading C, so C is
        // neither zeroed first nor loaded (at k <= KC, every training shape's backward, that
        // was a third of C's traffic).
        boolean overwrite = beta == 0f;
        if (!overwrite) {
            scale(beta, m, n, c, co, ldc);
        }
        int threads = 2L * m * n * k < PARALLEL_FLOPS ? 1 : parallel.threads();
        // Split C into a grid of rectangles, one per thread, each packing its own panels, so a
        // call has a single fork and join. Pick the grid that packs the least twice: splitting
        // M repacks B (k·n) per extra part, splitting N repacks A (m·k).
        int unit = tall ? 2 * MR : MR;
        int mUnits = (m + unit - 1) / unit;
        int nUnits = (n + nr - 1) / nr;
        int bestM = 1;
        long bestCost = Long.MAX_VALUE;
        for (int mp = 1; mp <= threads; mp++) {
            int np = threads / mp;
            if (mp * np != threads || mp > mUnits || np > nUnits) {
                continue;
            }
            long cost = (mp - 1L) * k * n + (np - 1L) * m * k;
            if (cost < bestCost) {
                bestCost = cost;
                bestM = mp;
            }
        }
        if (threads > 1 && mUnits >= threads && bestCost >= SHARED_B_FLOATS) {
            // Where every grid packs much twice: split M, and pack each block of B once, each
            // thread a share of its panels into one buffer that all of them read (as BLIS's
            // threads share packed B). The caller's buffer, grown here so that no member replaces
            // it; a team of one (busy workers) runs region on it too.
            int kcStep = kcStep(k);
            float[] shared = buffers.get().bPack(kcStep * roundUp(Math.min(NC, n), nr));
            SpinBarrier barrier = new SpinBarrier();
            parallel.team(threads, (member, size) -> {
                if (size == 1) {
                    region(transA, transB, 0, m, 0, n, k, alpha, a, ao, lda, b, bo, ldb, overwrite, c, co, ldc);
                    return;
                }
                int i0 = Math.min(m, chunkStart(member, size, mUnits) * unit);
                int i1 = Math.min(m, chunkStart(member + 1, size, mUnits) * unit);
                try {
                    member(member, size, barrier, shared, transA, transB, i0, i1, n, k, alpha, a, ao, lda,
                            b, bo, ldb, overwrite, c, co, ldc);
                } catch (RuntimeException | Error e) {
                    barrier.fail(e);
                    throw e;
                }
            });
            return;
        }
        int mParts = bestCost == Long.MAX_VALUE ? 1 : bestM;
        int nParts = bestCost == Long.MAX_VALUE ? 1 : threads / bestM;
        parallel.forEach(mParts * nParts, t -> {
            int i0 = chunkStart(t / nParts, mParts, mUnits) * unit;
            int i1 = Math.min(m, chunkStart(t / nParts + 1, mParts, mUnits) * unit);
            int j0 = chunkStart(t % nParts, nParts, nUnits) * nr;
            int j1 = Math.min(n, chunkStart(t % nParts + 1, nParts, nUnits) * nr);
            region(transA, transB, i0, i1, j0, j1, k, alpha, a, ao, lda, b, bo, ldb, overwrite, c, co, ldc);
        });
    }

    /**
     * Computes rows [i0, i1) of C as one member of a team that shares packed B: for each block of
     * B, this member packs its share of the panels into {@code shared}, waits until all have,
     * runs its rows against every panel, and waits until all have done so before B is repacked.
     * Every member waits as often as the others, whatever its rows.
     */
    private void member(int member, int size, SpinBarrier barrier, float[] shared, boolean transA, boolean transB,
                        int i0, int i1, int n, int k, float alpha, float[] a, int ao, int lda,
                        float[] b, int bo, int ldb, boolean overwrite, float[] c, int co, int ldc) {
        Buffers buf = buffers.get();
        int kcStep = kcStep(k);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + nr - 1) / nr;
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                packB(transB, b, bo, ldb, pc, kc, jc, nc, chunkStart(member, size, panels),
                        chunkStart(member + 1, size, panels), shared);
                barrier.await(size);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    float[] aPack = buf.aPack(roundUp(mc, MR) * kc);
                    packA(transA, a, ao, lda, ic, mc, pc, kc, aPack);
                    block(aPack, ic, mc, kc, alpha, pc > 0 || !overwrite, shared, jc, nc, buf.tile, c, co, ldc);
                }
                barrier.await(size);
            }
        }
    }

    // Blocks of k as even as multiples of 8 allow, at most KC: at k = 784, 200, 200, 200, 184
    // instead of 256, 256, 256, 16, whose last block ran its tiles mostly in their epilogues.
    private static int kcStep(int k) {
        int kBlocks = (k + KC - 1) / KC;
        return roundUp((k + kBlocks - 1) / kBlocks, 8);
    }

    /**
     * Computes rows [i0, i1) and columns [j0, j1) of C, serially, with this thread's buffers;
     * with {@code overwrite}, the first KC block stores over C instead of adding to it.
     */
    private void region(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
                        float[] a, int ao, int lda, float[] b, int bo, int ldb, boolean overwrite,
                        float[] c, int co, int ldc) {
        Buffers buf = buffers.get();
        int kcStep = kcStep(k);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                float[] bPack = buf.bPack(kc * roundUp(nc, nr));
                packB(transB, b, bo, ldb, pc, kc, jc, nc, 0, (nc + nr - 1) / nr, bPack);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    float[] aPack = buf.aPack(roundUp(mc, MR) * kc);
                    packA(transA, a, ao, lda, ic, mc, pc, kc, aPack);
                    block(aPack, ic, mc, kc, alpha, pc > 0 || !overwrite, bPack, jc, nc, buf.tile, c, co, ldc);
                }
            }
        }
    }

    private static int chunkStart(int chunk, int chunks, int items) {
        return (int) ((long) chunk * items / chunks);
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    private void scale(float beta, int m, int n, float[] c, int co, int ldc) {
        if (beta == 1f) {
            return;
        }
        if (beta == 0f) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0f);
            }
            return;
        }
        float[] factor = {beta};
        for (int i = 0; i < m; i++) {
            kernels.binary(BinaryOp.MUL, c, co + i * ldc, 1, factor, 0, 0, c, co + i * ldc, n);
        }
    }

    /**
     * Packs panels [q0, q1) of op(B)[pc..pc+kc)[jc..jc+nc) as panels of NR columns: panel q holds
     * kc rows of NR floats, from {@code dst[q·kc·NR]}.
     */
    private void packB(boolean transB, float[] b, int bo, int ldb, int pc, int kc, int jc, int nc, int q0, int q1,
                       float[] dst) {
        // Full panels through the kernels. Row-major B goes row by row, so reads stream through
        // memory (panel by panel, each row of B was fetched once per panel: packing took a third
        // as long as the arithmetic at M = 64); the SIMD kernels transpose a transposed B in 8×8
        // blocks in registers (it took a third as long as the arithmetic at 64×1000·(1000×100)ᵀ).
        int full = nc / nr;
        int fullEnd = Math.min(q1, full);
        if (q0 < fullEnd && transB) {
            kernels.packPanelsTransposed(b, bo + (jc + q0 * nr) * ldb + pc, ldb, kc, fullEnd - q0, dst, q0 * kc * nr);
        } else if (q0 < fullEnd) {
            kernels.packPanels(b, bo + pc * ldb + jc + q0 * nr, ldb, kc, fullEnd - q0, dst, q0 * kc * nr);
        }
        int width = nc - full * nr;
        if (width == 0 || q1 <= full) {
            return;
        }
        // The last, partial panel, here: zeroed whole, then its columns copied (with a zero loop
        // per row, 9 ns a row at width 4 against 5; with a test per element this panel had cost a
        // tenth of 64x100x1000).
        int d = full * kc * nr;
        Arrays.fill(dst, d, d + kc * nr, 0f);
        if (transB) {
            for (int j = 0; j < width; j++) {
                int src = bo + (jc + full * nr + j) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * nr + j] = b[src + p];
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = bo + (pc + p) * ldb + jc + full * nr;
                for (int j = 0; j < width; j++) {
                    dst[d + p * nr + j] = b[src + j];
                }
            }
        }
    }

    /**
     * Packs op(A)[ic..ic+mc)[pc..pc+kc) as micro-panels of MR rows, k-major (the MR values of
     * one k side by side), zero-padded below the last row. Row-major panels would pack by
     * vectorized row copies, but the micro-kernel then reads four streams of A and measured
     * 15-25% slower at n = 512 and 1024. Full micro-panels go through the kernels (the SIMD ones
     * interleave four rows in registers); the partial one below them, here.
     */
    private void packA(boolean transA, float[] a, int ao, int lda, int ic, int mc, int pc, int kc, float[] dst) {
        int first = mc / MR;
        if (transA) {
            kernels.packColumnPanels(a, ao + pc * lda + ic, lda, kc, first, dst);
        } else {
            kernels.packRowPanels(a, ao + ic * lda + pc, lda, kc, first, dst);
        }
        for (int r = first; r * MR < mc; r++) {
            int i0 = r * MR;
            int height = Math.min(MR, mc - i0);
            int d = r * kc * MR;
            if (!transA) {
                for (int i = 0; i < MR; i++) {
                    if (i < height) {
                        int src = ao + (ic + i0 + i) * lda + pc;
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * MR + i] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * MR + i] = 0f;
                        }
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = ao + (pc + p) * lda + ic + i0;
                    for (int i = 0; i < MR; i++) {
                        dst[d + p * MR + i] = i < height ? a[src + i] : 0f;
                    }
                }
            }
        }
    }

    private void block(float[] aPack, int ic, int mc, int kc, float alpha, boolean accumulate, float[] bPack,
                       int jc, int nc, float[] tile, float[] c, int co, int ldc) {
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
                        kernels.gemmTilesTall(kc, aPack, 0, 2 * kc * MR, bPack, q * kc * nr, 0, fullRows / 2,
                                alpha, c, cBlock + q * nr, 2 * MR * ldc, ldc);
                    } else {
                        kernels.gemmTiles(kc, aPack, 0, kc * MR, bPack, q * kc * nr, 0, fullRows, alpha,
                                c, cBlock + q * nr, MR * ldc, ldc);
                    }
                    r = fullRows;
                }
                if (tall) {
                    for (; r + 1 < rows; r += 2) {
                        tallTile(aPack, r, mc, kc, alpha, accumulate, bPack, q, jc, nc, ic, tile, c, co, ldc);
                    }
                }
                for (; r < rows; r++) {
                    tile(aPack, r, mc, kc, alpha, accumulate, bPack, q, jc, nc, ic, tile, c, co, ldc);
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
                            kernels.gemmTilesTall(kc, aPack, r * kc * MR, 0, bPack, q0 * kc * nr, kc * nr, run,
                                    alpha, c, cBlock + r * MR * ldc + q0 * nr, nr, ldc);
                        } else {
                            kernels.gemmTiles(kc, aPack, r * kc * MR, 0, bPack, q0 * kc * nr, kc * nr, run, alpha,
                                    c, cBlock + r * MR * ldc + q0 * nr, nr, ldc);
                        }
                        q += run;
                    }
                    if (tall && r + 1 < rows) {
                        for (; q < q1; q++) {
                            tallTile(aPack, r, mc, kc, alpha, accumulate, bPack, q, jc, nc, ic, tile, c, co, ldc);
                        }
                    }
                    for (; q < q1; q++) {
                        tile(aPack, r, mc, kc, alpha, accumulate, bPack, q, jc, nc, ic, tile, c, co, ldc);
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
                    columnsTile(aPack, r, mc, kc, alpha, accumulate, bPack, wide, jc, nc, ic, tile, c, co, ldc);
                }
            }
            // Where NR is 8·MR or more (16 lanes), a last panel of more than MR columns but at most
            // NR/4 (6 of 32 at N = 70) goes through the quarter kernel, 2·MR rows by NR/4 columns
            // on half vectors.
            if (nr >= 8 * MR && nc - wide * nr <= nr / 4) {
                for (; r + 1 < rows; r += 2) {
                    quarterTile(aPack, r, mc, kc, alpha, accumulate, bPack, wide, jc, nc, ic, tile, c, co, ldc);
                }
            }
            for (; r + 1 < rows; r += 2) {
                narrowTile(aPack, r, mc, kc, alpha, accumulate, bPack, wide, jc, nc, ic, tile, c, co, ldc);
            }
            if (r < rows) {
                tile(aPack, r, mc, kc, alpha, accumulate, bPack, wide, jc, nc, ic, tile, c, co, ldc);
            }
        }
    }

    /** Updates the tile of C at A micro-panel r and B micro-panel q. */
    private void tile(float[] aPack, int r, int mc, int kc, float alpha, boolean accumulate, float[] bPack,
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
        kernels.gemmTile(kc, aPack, r * kc * MR, bPack, q * kc * nr, alpha, accumulate,
                edge ? tile : c, edge ? 0 : cOff, edge ? nr : ldc);
        if (edge) {
            copy(tile, 0, nr, c, cOff, ldc, height, width);
        }
    }

    /**
     * Updates the 2·MR × NR tile of C at A micro-panels r and r + 1 and B micro-panel q, as
     * {@link #tile} does its tile (a method of its own for the reason {@link #narrowTile} is one).
     */
    private void tallTile(float[] aPack, int r, int mc, int kc, float alpha, boolean accumulate, float[] bPack,
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
        // The tall kernels keep their two epilogues apart (see SimdKernels.gemmTileTall).
        if (accumulate) {
            kernels.gemmTileTall(kc, aPack, r * kc * MR, bPack, q * kc * nr, alpha,
                    edge ? tile : c, edge ? 0 : cOff, edge ? nr : ldc);
        } else {
            kernels.gemmTilesTall(kc, aPack, r * kc * MR, 0, bPack, q * kc * nr, 0, 1, alpha,
                    edge ? tile : c, edge ? 0 : cOff, 0, edge ? nr : ldc);
        }
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
        kernels.gemmTileNarrow(kc, aPack, r * kc * MR, bPack, q * kc * nr, alpha, accumulate,
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
        kernels.gemmTileQuarter(kc, aPack, r * kc * MR, bPack, q * kc * nr, alpha, accumulate,
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
        kernels.gemmTileColumns(kc, aPack, r * kc * MR, bPack, q * kc * nr, alpha, accumulate, tile, 0, 4 * MR);
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

    /** Per-thread packing buffers, grown on demand and reused, so a GEMM call does not allocate. */
    private static final class Buffers {
        final float[] tile;
        private float[] a = new float[0];
        private float[] b = new float[0];

        Buffers(int nr) {
            tile = new float[2 * MR * nr];
        }

        float[] aPack(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] bPack(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }
}
