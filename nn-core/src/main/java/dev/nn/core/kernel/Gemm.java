package dev.nn.core.kernel;

import java.util.Arrays;
import java.util.List;
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
 * (packed, kept in L2), a {@link MicroKernel} keeps a tile of C in registers over the whole KC
 * loop: the levels below are the {@link PackKernels} (with {@code Packer} padding the edges) and
 * the {@link MicroKernels} (run over a pair of packed blocks by {@code MacroKernel}, which takes
 * the edge kernels for a last panel of B that is mostly padding and the row kernel for blocks of
 * fewer rows than a micro-panel). This class is the blocking and the threads; B may also come
 * packed beforehand ({@link #pack}), for a weight that serves many products.
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
     * The system property that chooses the register tile: {@code auto} (the default) or rows ×
     * columns of C, {@code 4xNR} or {@code 8xNR} with NR the kernels' panel width (for example
     * {@code -Dnn.gemm.tile=4x32} where vectors have 16 lanes).
     */
    public static final String TILE_PROPERTY = "nn.gemm.tile";
    // KC·NR floats of B (16 KiB at NR = 16) stay in L1; MC·KC of A (128 KiB) in L2; KC·NC of B in L3.
    static final int KC = 256;
    static final int MC = 128;
    static final int NC = 3072;
    // A grid that packs at least this many floats twice (about 90 µs of packing) splits M and
    // shares packed B instead: 1.03-1.05 times as fast at 512³-2048³ on two threads (Zen 5). Below
    // it, packing twice is cheaper than reading the other core's half of B: shared, 64x1000x100:NT
    // ran at 0.60 and 1000x100x64:TN at 0.86 of its speed with a grid.
    static final long SHARED_B_FLOATS = 1L << 18;
    // Below this many flops a second thread costs about what it saves (see BENCHMARKING.md).
    static final long PARALLEL_FLOPS = 1L << 22;

    private static final int MR = PackKernels.MR;
    private static final Logger LOG = LoggerFactory.getLogger(Gemm.class);
    // A tile named as rows × columns: MR or 2·MR rows.
    private static final Pattern TILE = Pattern.compile("(" + MR + "|" + 2 * MR + ")x([1-9][0-9]{0,3})");

    private final Kernels kernels;
    private final Parallel parallel;
    private final int nr;
    private final MicroKernel registerTile;
    private final Packer packer;
    private final MacroKernel macro;
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
        int nr = kernels.microKernels().panelWidth();
        if (!m.matches() || Integer.parseInt(m.group(2)) == nr) {
            return tile;
        }
        if (kernels == KernelProvider.kernels()) {
            LOG.warn("gemm: -D{}={} names panels {} wide, but the {} kernels' are {}; using auto",
                    TILE_PROPERTY, tile, m.group(2), kernels.name(), nr);
        }
        return "auto";
    }

    /**
     * Creates a GEMM that runs {@code kernels} on {@code parallel} with the register tile
     * {@code tile}: {@code auto}, or the shape of one of its {@link MicroKernels#tiles()}, such as
     * {@code 4x32} or {@code 8x32}. Every tile gives the same bits; they differ only in speed.
     *
     * @throws IllegalArgumentException if {@code tile} is none of these
     */
    public Gemm(Kernels kernels, Parallel parallel, String tile) {
        this.kernels = kernels;
        this.parallel = parallel;
        MicroKernels family = kernels.microKernels();
        this.nr = family.panelWidth();
        if (kernels.pack().panelWidth() != nr) {
            throw new IllegalArgumentException("gemm: the " + kernels.name() + " kernels pack panels "
                    + kernels.pack().panelWidth() + " wide for micro-kernels that read them " + nr + " wide");
        }
        this.registerTile = chooseTile(tile, family, Runtime.version().feature());
        this.packer = new Packer(kernels.pack());
        this.macro = new MacroKernel(family, registerTile);
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(nr));
        LOG.debug("gemm: register tile {} on {} kernels (asked for {})", tile(), kernels.name(), tile);
    }

    /**
     * Returns the register tile {@code choice} names among {@code family}'s on JDK {@code jdk}.
     * {@code auto} takes the 8-row tile (16 accumulators) at NR >= 32, 16 lanes,
     * on JDK 25 or newer: AVX-512 has 32 vector registers, and a core with two FMA units, 4
     * cycles deep, needs more than the 4-row tile's 8 multiply-adds in flight (on a Zen 5, whole
     * products ran 1.08-1.14 times as fast on one thread, JDK 25). JDK 17's C2 ran it at 0.58-0.83
     * of the 4-row tile's speed there (JDK 18-24 not measured). At 8 lanes AVX2 has 16 registers,
     * which 16 accumulators would spill.
     */
    static MicroKernel chooseTile(String choice, MicroKernels family, int jdk) {
        String c = choice.trim().toLowerCase(Locale.ROOT);
        if (c.equals("auto")) {
            return family.panelWidth() >= 32 && jdk >= 25 ? family.tall() : family.square();
        }
        List<MicroKernel> tiles = family.tiles();
        StringBuilder names = new StringBuilder("auto");
        for (int t = 0; t < tiles.size(); t++) {
            if (tiles.get(t).shape().equals(c)) {
                return tiles.get(t);
            }
            names.append(t == tiles.size() - 1 ? " or " : ", ").append(tiles.get(t).shape());
        }
        throw new IllegalArgumentException("gemm: tile must be " + names + " with panels " + family.panelWidth()
                + " wide, got '" + choice + "' (-D" + TILE_PROPERTY + ")");
    }

    /** Returns the register tile this GEMM runs, as rows × columns of C: {@code 4x32}, {@code 8x32}, .... */
    public String tile() {
        return registerTile.shape();
    }

    @Override
    public String toString() {
        return "gemm(" + kernels.name() + ", " + tile() + ")";
    }

    /** Returns the width of the panels this GEMM packs B into; a {@link Packed} B serves GEMMs of one width. */
    public int panelWidth() {
        return nr;
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
        run(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, null, beta, c, co, ldc);
    }

    /**
     * Computes {@code C = alpha·op(A)·B + beta·C} as {@link #gemm(boolean, boolean, int, int, int,
     * float, float[], int, int, float[], int, int, float, float[], int, int) gemm} does, with B
     * (k×n) packed beforehand by {@link #pack}: the same bits, without packing B again.
     *
     * @throws IllegalArgumentException if {@code b} is not k×n or was packed for panels of another width
     */
    public void gemm(boolean transA, int m, int n, int k, float alpha, float[] a, int ao, int lda, Packed b,
                     float beta, float[] c, int co, int ldc) {
        if (b.k != k || b.n != n || b.nr != nr) {
            throw new IllegalArgumentException("gemm: packed B is " + b.k + "x" + b.n + " in panels " + b.nr
                    + " wide, the product needs " + k + "x" + n + " in panels " + nr + " wide");
        }
        run(transA, false, m, n, k, alpha, a, ao, lda, null, 0, 0, b, beta, c, co, ldc);
    }

    /**
     * Returns op(B) (k×n, stored as {@link #gemm(boolean, boolean, int, int, int, float, float[],
     * int, int, float[], int, int, float, float[], int, int) gemm} reads it) packed into the
     * panels this GEMM's micro-kernels read, blocked as its products block k, for
     * {@link #gemm(boolean, int, int, int, float, float[], int, int, Packed, float, float[], int, int)}:
     * products with a B that does not change (a layer's weight while it answers requests) then
     * skip packing it. The copy holds B's values now and does not follow later writes.
     */
    public Packed pack(boolean transB, int k, int n, float[] b, int bo, int ldb) {
        assert k >= 0 && n >= 0;
        int kcStep = kcStep(k);
        int kBlocks = k == 0 ? 0 : (k + kcStep - 1) / kcStep;
        int nBlocks = (n + NC - 1) / NC;
        int[] offsets = new int[kBlocks * nBlocks];
        int size = 0;
        for (int jb = 0; jb < nBlocks; jb++) {
            int nc = Math.min(NC, n - jb * NC);
            for (int pb = 0; pb < kBlocks; pb++) {
                offsets[jb * kBlocks + pb] = size;
                size += Math.min(kcStep, k - pb * kcStep) * roundUp(nc, nr);
            }
        }
        float[] data = new float[size];
        for (int jb = 0; jb < nBlocks; jb++) {
            int nc = Math.min(NC, n - jb * NC);
            for (int pb = 0; pb < kBlocks; pb++) {
                int kc = Math.min(kcStep, k - pb * kcStep);
                packer.packB(transB, b, bo, ldb, pb * kcStep, kc, jb * NC, nc, 0, (nc + nr - 1) / nr, data,
                        offsets[jb * kBlocks + pb]);
            }
        }
        return new Packed(k, n, nr, kcStep, kBlocks, offsets, data);
    }

    /**
     * B packed by {@link #pack}: for each block of NC columns and each block of k, its panels of
     * NR columns, zero-padded, in one array. Immutable; one may serve any number of products at
     * once, on any GEMM whose kernels pack panels as wide.
     */
    public static final class Packed {
        final int k;
        final int n;
        final int nr;
        final int kcStep;
        private final int kBlocks;
        private final int[] offsets;
        final float[] data;

        private Packed(int k, int n, int nr, int kcStep, int kBlocks, int[] offsets, float[] data) {
            this.k = k;
            this.n = n;
            this.nr = nr;
            this.kcStep = kcStep;
            this.kBlocks = kBlocks;
            this.offsets = offsets;
            this.data = data;
        }

        /** Returns where the block of columns from {@code jc} (a multiple of NC) and of k from {@code pc} begins. */
        int offset(int jc, int pc) {
            return offsets[jc / NC * kBlocks + pc / kcStep];
        }
    }

    /** Runs either product: B as given, or packed beforehand when {@code packed} is not null. */
    private void run(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao, int lda,
                     float[] b, int bo, int ldb, Packed packed, float beta, float[] c, int co, int ldc) {
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
        int unit = registerTile.rows();
        int mUnits = (m + unit - 1) / unit;
        int nUnits = (n + nr - 1) / nr;
        Grid grid = grid(m, n, k, threads, unit, nr);
        if (packed == null && threads > 1 && mUnits >= threads && grid.leastPacked() >= SHARED_B_FLOATS) {
            // Where every grid packs much twice: split M, and pack each block of B once, each
            // thread a share of its panels into one buffer that all of them read (as BLIS's
            // threads share packed B). The caller's buffer, grown here so that no member replaces
            // it; a team of one (busy workers) runs region on it too.
            int kcStep = kcStep(k);
            float[] shared = buffers.get().bPack(kcStep * roundUp(Math.min(NC, n), nr));
            SpinBarrier barrier = new SpinBarrier();
            parallel.team(threads, (member, size) -> {
                if (size == 1) {
                    region(transA, transB, 0, m, 0, n, k, alpha, a, ao, lda, b, bo, ldb, null, overwrite, c, co, ldc);
                    return;
                }
                int i0 = Math.min(m, Parallel.partStart(member, size, mUnits) * unit);
                int i1 = Math.min(m, Parallel.partStart(member + 1, size, mUnits) * unit);
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
        int mParts = grid.mParts();
        int nParts = grid.nParts();
        parallel.forEach(mParts * nParts, t -> {
            int i0 = Parallel.partStart(t / nParts, mParts, mUnits) * unit;
            int i1 = Math.min(m, Parallel.partStart(t / nParts + 1, mParts, mUnits) * unit);
            int j0 = Parallel.partStart(t % nParts, nParts, nUnits) * nr;
            int j1 = Math.min(n, Parallel.partStart(t % nParts + 1, nParts, nUnits) * nr);
            region(transA, transB, i0, i1, j0, j1, k, alpha, a, ao, lda, b, bo, ldb, packed, overwrite, c, co, ldc);
        });
    }

    /**
     * How {@code threads} threads split an m×n×k product into rectangles of C, rows in units of
     * {@code unit} and columns in panels of {@code nr}, each thread packing its own panels, so a
     * call has a single fork and join; and the fewest floats any such grid packs twice.
     */
    record Grid(int mParts, int nParts, long leastPacked) {
    }

    /**
     * Returns the grid that moves the least between cores: splitting M repacks B (k·n) per extra
     * part; splitting N repacks A (m·k) and leaves each row of C written by nParts threads, while
     * what reads C next mostly splits it by rows (an elementwise op's chunks, Adam over a weight's
     * gradient, each thread taking its same share of the pool's tasks every call), so
     * (nParts - 1)/nParts of C then crosses to another core. The MLP's two-thread step across two
     * dies: 2.93 ms a step against 3.06 ms counting packing alone (medians of 274 interleaved
     * runs, Zen 4; where the cores share an L3, 2.13 and 2.15 ms). One part when no grid fits.
     */
    static Grid grid(int m, int n, int k, int threads, int unit, int nr) {
        int mUnits = (m + unit - 1) / unit;
        int nUnits = (n + nr - 1) / nr;
        int bestM = 1;
        int bestN = 1;
        long bestCost = Long.MAX_VALUE;
        long leastPacked = Long.MAX_VALUE;
        for (int mp = 1; mp <= threads; mp++) {
            int np = threads / mp;
            if (mp * np != threads || mp > mUnits || np > nUnits) {
                continue;
            }
            long packedTwice = (mp - 1L) * k * n + (np - 1L) * m * k;
            long cost = packedTwice + (np - 1L) * m * n / np;
            leastPacked = Math.min(leastPacked, packedTwice);
            if (cost < bestCost) {
                bestCost = cost;
                bestM = mp;
                bestN = np;
            }
        }
        return new Grid(bestM, bestN, leastPacked);
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
                packer.packB(transB, b, bo, ldb, pc, kc, jc, nc, Parallel.partStart(member, size, panels),
                        Parallel.partStart(member + 1, size, panels), shared, 0);
                barrier.await(size);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    float[] aPack = buf.aPack(roundUp(mc, MR) * kc);
                    packer.packA(transA, a, ao, lda, ic, mc, pc, kc, aPack);
                    macro.block(aPack, ic, mc, kc, alpha, pc > 0 || !overwrite, shared, 0, jc, nc, buf.tile, c, co,
                            ldc);
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
     * with {@code overwrite}, the first KC block stores over C instead of adding to it. B is
     * packed here, block by block, unless {@code packed} holds it already.
     */
    private void region(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
                        float[] a, int ao, int lda, float[] b, int bo, int ldb, Packed packed, boolean overwrite,
                        float[] c, int co, int ldc) {
        Buffers buf = buffers.get();
        int kcStep = kcStep(k);
        // Blocks of columns start at multiples of NC, as packed B's do, so where j0 is not a
        // block's start the first block here is the rest of one (j0 is a multiple of NR, so of
        // whole panels). Which columns share a block changes no element's sum.
        for (int jc = j0; jc < j1; jc = (jc / NC + 1) * NC) {
            int nc = Math.min((jc / NC + 1) * NC, j1) - jc;
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                float[] bPack;
                int bOff;
                if (packed == null) {
                    bPack = buf.bPack(kc * roundUp(nc, nr));
                    bOff = 0;
                    packer.packB(transB, b, bo, ldb, pc, kc, jc, nc, 0, (nc + nr - 1) / nr, bPack, 0);
                } else {
                    bPack = packed.data;
                    bOff = packed.offset(jc / NC * NC, pc) + (jc % NC) * kc;
                }
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    float[] aPack = buf.aPack(roundUp(mc, MR) * kc);
                    packer.packA(transA, a, ao, lda, ic, mc, pc, kc, aPack);
                    macro.block(aPack, ic, mc, kc, alpha, pc > 0 || !overwrite, bPack, bOff, jc, nc, buf.tile,
                            c, co, ldc);
                }
            }
        }
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
            kernels.elementwise().binary(BinaryOp.MUL, c, co + i * ldc, 1, factor, 0, 0, c, co + i * ldc, n);
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