package dev.nn.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GEMM against a naive double-precision reference for all four transpose combinations and
 * awkward shapes; bit-exact between kernels and across thread counts.
 */
class GemmTest {

    private static final Gemm SERIAL = new Gemm(KernelProvider.kernels(), new Parallel(1));

    static List<int[]> shapes() {
        List<int[]> s = new ArrayList<>();
        int[][] mnk = {
            {1, 1, 1}, {1, 37, 5}, {37, 1, 5}, {9, 13, 1}, {1, 1, 300}, {17, 33, 65}, {4, 16, 8}, {3, 7, 2},
            {Gemm.MC - 1, 19, Gemm.KC + 1}, {Gemm.MC + 1, 35, Gemm.KC - 1}, {131, 67, 2 * Gemm.KC + 3},
            {5, Gemm.NC + 17, 11}, {64, 100, 1000}, {131, 300, MacroKernel.LOOP_KC - 28}, {37, 70, 300}, {37, 72, 300},
            // Fewer rows than a micro-panel, against many panels: the row kernel, and panels left over.
            {1, 300, 300}, {3, 517, 70}, {2, Gemm.NC + 130, Gemm.KC + 3},
        };
        for (int[] x : mnk) {
            s.add(x);
        }
        return s;
    }

    /**
     * Kernels to test: the scalar twin always, also with the SIMD kernels' panel widths at 8 and
     * 16 lanes (Gemm takes other paths for a last, narrow panel at each width, and this machine's
     * SIMD kernels have only one width); the SIMD kernels when the module is present.
     */
    static List<Kernels> kernels() {
        List<Kernels> k = new ArrayList<>();
        k.add(ScalarKernels.INSTANCE);
        k.add(new ScalarKernels(16));
        k.add(new ScalarKernels(32));
        if (KernelProvider.vectorModulePresent()) {
            k.add(KernelProvider.simd());
        }
        return k;
    }

    /** A GEMM of every kernel of {@link #kernels()} with each register tile, 4 and 8 rows, on {@code threads}. */
    static List<Gemm> gemms(int threads) {
        List<Gemm> g = new ArrayList<>();
        for (Kernels k : kernels()) {
            g.add(new Gemm(k, new Parallel(threads), PackKernels.MR + "x" + k.microKernels().panelWidth()));
            g.add(new Gemm(k, new Parallel(threads), 2 * PackKernels.MR + "x" + k.microKernels().panelWidth()));
        }
        return g;
    }

    static float[] random(Random r, int n, boolean integers) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = integers ? r.nextInt(9) - 4 : (float) r.nextGaussian();
        }
        return x;
    }

    /** Runs C = alpha·op(A)·op(B) + beta·C with padded leading dimensions and offsets. */
    static float[] run(Gemm gemm, boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                       float beta, float[] c0) {
        float[] c = c0.clone();
        int lda = (ta ? m : k) + 3;
        int ldb = (tb ? k : n) + 2;
        gemm.gemm(ta, tb, m, n, k, alpha, a, 1, lda, b, 2, ldb, beta, c, 3, n + 1);
        return c;
    }

    static double[] reference(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                              float beta, float[] c) {
        int lda = (ta ? m : k) + 3;
        int ldb = (tb ? k : n) + 2;
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i];
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[1 + p * lda + i] : a[1 + i * lda + p];
                    double bv = tb ? b[2 + j * ldb + p] : b[2 + p * ldb + j];
                    s += av * bv;
                }
                int ci = 3 + i * (n + 1) + j;
                out[ci] = alpha * s + (beta == 0f ? 0 : beta * (double) c[ci]);
            }
        }
        return out;
    }

    static int sizeA(boolean ta, int m, int k) {
        return 1 + (ta ? k * (m + 3) : m * (k + 3));
    }

    static int sizeB(boolean tb, int n, int k) {
        return 2 + (tb ? n * (k + 2) : k * (n + 2));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void gemm_allTransposes_matchDoubleReference(int[] mnk) {
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        Random r = new Random(m * 31L + n * 7L + k);
        for (Gemm gemm : gemms(1)) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                float[] a = random(r, sizeA(ta, m, k), false);
                float[] b = random(r, sizeB(tb, n, k), false);
                float[] c = random(r, 3 + m * (n + 1), false);
                float alpha = t == 3 ? -0.5f : 1f;
                float beta = t == 1 ? 0.25f : t == 2 ? 1f : 0f;
                float[] got = run(gemm, ta, tb, m, n, k, alpha, a, b, beta, c);
                double[] want = reference(ta, tb, m, n, k, alpha, a, b, beta, c);
                for (int i = 0; i < got.length; i++) {
                    double tol = 1e-5 * (k + 1) * (1 + Math.abs(want[i]));
                    if (Math.abs(got[i] - want[i]) > tol) {
                        fail(gemm + " " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + ": element " + i
                                + " is " + got[i] + ", expected " + want[i]);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void gemm_integerValues_exactInEveryKernel(int[] mnk) {
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        Random r = new Random(5 + m + n + k);
        float[] a = random(r, sizeA(true, m, k), true);
        float[] b = random(r, sizeB(false, n, k), true);
        float[] c = random(r, 3 + m * (n + 1), true);
        double[] want = reference(true, false, m, n, k, 1f, a, b, 1f, c);
        for (Gemm gemm : gemms(1)) {
            float[] got = run(gemm, true, false, m, n, k, 1f, a, b, 1f, c);
            for (int i = 0; i < got.length; i++) {
                assertEquals(want[i], got[i], 0.0, gemm + " element " + i);
            }
        }
    }

    @Test
    void gemm_everyKernelPanelWidthAndTile_bitIdenticalOnRandomData() {
        Random r = new Random(3);
        List<Gemm> gemms = gemms(1);
        for (int[] mnk : shapes()) {
            int m = mnk[0];
            int n = mnk[1];
            int k = mnk[2];
            float[] a = random(r, sizeA(false, m, k), false);
            float[] b = random(r, sizeB(true, n, k), false);
            float[] c = random(r, 3 + m * (n + 1), false);
            float[] s = run(gemms.get(0), false, true, m, n, k, 0.75f, a, b, 0.5f, c);
            for (Gemm other : gemms.subList(1, gemms.size())) {
                float[] v = run(other, false, true, m, n, k, 0.75f, a, b, 0.5f, c);
                KernelParityTest.assertBits(s, v, other + " " + m + "x" + n + "x" + k);
            }
        }
    }

    @Test
    void gemm_oneTwoThreeThreads_bitIdenticalWithEitherTile() {
        Random r = new Random(4);
        int m = 301;
        int n = 263;
        int k = 290;
        float[] a = random(r, sizeA(false, m, k), false);
        float[] b = random(r, sizeB(false, n, k), false);
        float[] c = random(r, 3 + m * (n + 1), false);
        Kernels kernels = KernelProvider.kernels();
        int nr = kernels.microKernels().panelWidth();
        Gemm square = new Gemm(kernels, new Parallel(1), PackKernels.MR + "x" + nr);
        float[] one = run(square, false, false, m, n, k, 1f, a, b, 0f, c);
        for (int threads = 1; threads <= 3; threads++) {
            for (String tile : new String[] {PackKernels.MR + "x" + nr, 2 * PackKernels.MR + "x" + nr}) {
                Gemm gemm = new Gemm(kernels, new Parallel(threads), tile);
                assertArrayEquals(one, run(gemm, false, false, m, n, k, 1f, a, b, 0f, c),
                        gemm + ", " + threads + " threads");
            }
        }
    }

    @Test
    void grid_splitsColumnsOnlyWhereRowsWouldRepackMuchMore() {
        // The MLP's forward (x·W1ᵀ, 128x512x784): rows would repack all of W1, so columns.
        assertEquals(new Gemm.Grid(1, 2, 128L * 784), Gemm.grid(128, 512, 784, 2, 16, 32));
        // Its first weight's gradient (dYᵀ·x, 512x784x128): columns would pack 65,536 floats
        // twice against rows' 100,352, but leave every row of the gradient half written by each
        // thread for Adam to gather, so rows.
        assertEquals(new Gemm.Grid(2, 1, 512L * 128), Gemm.grid(512, 784, 128, 2, 16, 32));
        // A square product packs as much either way: rows, which leave C's rows whole.
        assertEquals(new Gemm.Grid(2, 1, 256L * 256), Gemm.grid(256, 256, 256, 2, 16, 32));
        // Too few rows for two parts; too few of either: one part.
        assertEquals(new Gemm.Grid(1, 2, 8L * 4096), Gemm.grid(8, 512, 4096, 2, 16, 32));
        assertEquals(new Gemm.Grid(1, 1, Long.MAX_VALUE), Gemm.grid(8, 20, 100_000, 2, 16, 32));
    }

    @Test
    void gemm_sharedPackedB_bitIdenticalToOneThread_everyTileAndTranspose() {
        // Large enough that every grid packs more than SHARED_B_FLOATS twice, so two and three
        // threads split M and share packed B; 518 columns leave a last, partial panel to share.
        Random r = new Random(12);
        int m = 530;
        int n = 518;
        int k = 530;
        assertTrue(Math.min((long) m * k, (long) k * n) >= Gemm.SHARED_B_FLOATS);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            float[] a = random(r, sizeA(ta, m, k), false);
            float[] b = random(r, sizeB(tb, n, k), false);
            float[] c = random(r, 3 + m * (n + 1), false);
            float beta = t == 1 ? 0.5f : 0f;
            float[] one = run(gemms(1).get(0), ta, tb, m, n, k, 1f, a, b, beta, c);
            for (int threads = 2; threads <= 3; threads++) {
                for (Gemm gemm : gemms(threads)) {
                    KernelParityTest.assertBits(one, run(gemm, ta, tb, m, n, k, 1f, a, b, beta, c),
                            gemm + ", " + threads + " threads, ta=" + ta + " tb=" + tb);
                }
            }
        }
    }

    @Test
    void chooseTile_autoTakesTheTallTileFrom16LanesOnJdk25_andNamedTilesAsAsked() {
        MicroKernels eight = ScalarKernels.INSTANCE.microKernels();        // the scalar twin's
        MicroKernels sixteen = new ScalarKernels(16).microKernels();      // 8 lanes: AVX2's 16 registers
        MicroKernels thirtyTwo = new ScalarKernels(32).microKernels();    // 16 lanes: AVX-512's 32
        assertSame(eight.square(), Gemm.chooseTile("auto", eight, 25));
        assertSame(sixteen.square(), Gemm.chooseTile("auto", sixteen, 25));
        assertSame(thirtyTwo.tall(), Gemm.chooseTile("auto", thirtyTwo, 25));
        assertSame(thirtyTwo.tall(), Gemm.chooseTile(" AUTO ", thirtyTwo, 26));
        assertSame(thirtyTwo.square(), Gemm.chooseTile("auto", thirtyTwo, 17));   // JDK 17's C2 runs it slower
        assertSame(thirtyTwo.square(), Gemm.chooseTile("auto", thirtyTwo, 24));
        assertSame(thirtyTwo.square(), Gemm.chooseTile("4x32", thirtyTwo, 25));
        assertSame(sixteen.tall(), Gemm.chooseTile("8X16", sixteen, 17));         // as asked, on any JDK
        String wide = Runtime.version().feature() >= 25 ? "8x32" : "4x32";
        assertEquals(wide, new Gemm(new ScalarKernels(32), new Parallel(1), "auto").tile());
        assertEquals("4x16", new Gemm(new ScalarKernels(16), new Parallel(1), "auto").tile());
        assertEquals("8x8", new Gemm(ScalarKernels.INSTANCE, new Parallel(1), "8x8").tile());
    }

    @Test
    void fittedTile_aTileOfAnotherWidth_becomesAuto_anythingElseStaysForTheConstructor() {
        Kernels sixteen = new ScalarKernels(16);
        assertEquals("auto", Gemm.fittedTile("8x32", sixteen));
        assertEquals("auto", Gemm.fittedTile(" 4X8 ", sixteen));
        assertEquals("8x16", Gemm.fittedTile("8x16", sixteen));
        assertEquals("auto", Gemm.fittedTile("auto", sixteen));
        assertEquals("6x48", Gemm.fittedTile("6x48", sixteen));       // rejected by the constructor
        assertEquals("8x", Gemm.fittedTile("8x", sixteen));
    }

    @Test
    void chooseTile_unknownTile_namesTheChoices() {
        for (String bad : new String[] {"8x16", "6x48", "", "8", "4x32x1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Gemm(new ScalarKernels(32), new Parallel(1), bad));
            assertEquals("gemm: tile must be auto, 4x32 or 8x32 with panels 32 wide, got '" + bad + "' (-Dnn.gemm.tile)",
                    e.getMessage());
        }
    }

    @Test
    void gemm_betaZero_ignoresNaNInC() {
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        SERIAL.gemm(false, false, 2, 2, 1, 1f, new float[] {1, 2}, 0, 1, new float[] {3, 4}, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {3, 4, 6, 8}, c);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void gemm_betaZero_sameBitsAsAddingToZeros_andIgnoresNaNInC(int[] mnk) {
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        Random r = new Random(6 + m + n + k);
        float[] a = random(r, sizeA(false, m, k), false);
        float[] b = random(r, sizeB(true, n, k), false);
        // C's padding column and offset hold 7s, which must survive; its elements, NaN or 0.
        float[] nans = new float[3 + m * (n + 1)];
        float[] zeros = new float[nans.length];
        Arrays.fill(nans, 7f);
        Arrays.fill(zeros, 7f);
        for (int i = 0; i < m; i++) {
            Arrays.fill(nans, 3 + i * (n + 1), 3 + i * (n + 1) + n, Float.NaN);
            Arrays.fill(zeros, 3 + i * (n + 1), 3 + i * (n + 1) + n, 0f);
        }
        for (Gemm gemm : gemms(2)) {
            float[] want = run(gemm, false, true, m, n, k, -0.75f, a, b, 1f, zeros);
            float[] got = run(gemm, false, true, m, n, k, -0.75f, a, b, 0f, nans);
            KernelParityTest.assertBits(want, got, gemm + " " + m + "x" + n + "x" + k);
        }
    }

    @Test
    void gemm_edgeTilesAfterInfinities_leaveNothingBehind() {
        // Edge tiles share one scratch tile per thread, whose padding is not cleared between
        // tiles: an infinity in A turns the padded columns into NaN. A later product with edges
        // in both M and N and several blocks of k (so edge tiles add to C) must not see them.
        int m = 6;
        int n = 21;
        int k = 2 * Gemm.KC + 5;
        Random r = new Random(11);
        float[] a = random(r, sizeA(false, m, k), true);
        float[] b = random(r, sizeB(false, n, k), true);
        float[] c = random(r, 3 + m * (n + 1), true);
        float[] inf = a.clone();
        Arrays.fill(inf, Float.POSITIVE_INFINITY);
        for (Gemm gemm : gemms(1)) {
            float[] fresh = run(gemm, false, false, m, n, k, 1f, a, b, 1f, c);
            run(gemm, false, false, m, n, k, 1f, inf, b, 1f, c);
            float[] after = run(gemm, false, false, m, n, k, 1f, a, b, 1f, c);
            KernelParityTest.assertBits(fresh, after, gemm.toString());
            double[] want = reference(false, false, m, n, k, 1f, a, b, 1f, c);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], after[i], 0.0, gemm + " at " + i);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void gemm_packedB_sameBitsAsPackingEachCall_anyThreadsAndTile(int[] mnk) {
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        Random r = new Random(17 + m + n + k);
        // B packed from either storage; A's transpose is packA's, the same with packed B or not.
        for (boolean tb : new boolean[] {false, true}) {
            boolean ta = !tb;
            float[] a = random(r, sizeA(ta, m, k), false);
            float[] b = random(r, sizeB(tb, n, k), false);
            float[] c = random(r, 3 + m * (n + 1), false);
            for (int threads = 1; threads <= 3; threads += 2) {
                for (Gemm gemm : gemms(threads)) {
                    Gemm.Packed packed = gemm.pack(tb, k, n, b, 2, (tb ? k : n) + 2);
                    for (float beta : new float[] {0f, 1f}) {
                        float[] want = run(gemm, ta, tb, m, n, k, 0.5f, a, b, beta, c);
                        float[] got = c.clone();
                        gemm.gemm(ta, m, n, k, 0.5f, a, 1, (ta ? m : k) + 3, packed, beta, got, 3, n + 1);
                        KernelParityTest.assertBits(want, got, gemm + " " + threads + " threads " + m + "x" + n
                                + "x" + k + " ta=" + ta + " tb=" + tb + " beta=" + beta);
                    }
                }
            }
        }
    }

    @Test
    void gemm_packedForAnotherShapeOrWidth_refusedWithoutTouchingC() {
        Gemm sixteen = new Gemm(new ScalarKernels(16), new Parallel(1));
        Gemm.Packed packed = sixteen.pack(false, 3, 5, new float[15], 0, 5);
        float[] c = {1, 2, 3, 4, 5};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sixteen.gemm(false, 1, 5, 4, 1f, new float[4], 0, 4, packed, 0f, c, 0, 5));
        assertEquals("gemm: packed B is 3x5 in panels 16 wide, the product needs 4x5 in panels 16 wide", e.getMessage());
        Gemm eight = new Gemm(ScalarKernels.INSTANCE, new Parallel(1));
        e = assertThrows(IllegalArgumentException.class,
                () -> eight.gemm(false, 1, 5, 3, 1f, new float[3], 0, 3, packed, 0f, c, 0, 5));
        assertEquals("gemm: packed B is 3x5 in panels 16 wide, the product needs 3x5 in panels 8 wide", e.getMessage());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, c);
    }

    @Test
    void gemm_kZeroOrAlphaZero_onlyScalesC() {
        float[] c = {1, 2, 3, 4};
        SERIAL.gemm(false, false, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 2f, c, 0, 2);
        assertArrayEquals(new float[] {2, 4, 6, 8}, c);
        SERIAL.gemm(false, false, 2, 2, 1, 0f, new float[] {Float.NaN, 1}, 0, 1, new float[] {1, 1}, 0, 2,
                0.5f, c, 0, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c);
    }
}
