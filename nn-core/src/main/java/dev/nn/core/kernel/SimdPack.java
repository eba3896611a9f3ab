package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The packing kernels on the Vector API, for panels two vectors wide; each gives its
 * {@link ScalarPack} twin's bits (packing only moves floats).
 */
final class SimdPack implements PackKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
    // Eight lanes, for the transposes and halves (S itself where L == 8).
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;
    // Transposes (on 8-lane vectors, where L >= 8) as exchanges of blocks: rows i and i + s trade
    // the upper s lanes of each 2s-lane block of row i for the lower s lanes of row i + s's, and
    // exchanges for s = 4, 2 and 1 transpose 8×8. Each new row is one one-vector rearrange and one blend
    // (UP_s moves lanes up by s, DOWN_s down; UPPER_s selects the upper s lanes of each block).
    // Zips by two-vector rearranges did the same in three rounds: 8×8 blocks (written out in
    // their loop) ran 2x faster this way on JDK 25 (A's 4×8 blocks 1.5x) and 12-15x on JDK 17,
    // where two-vector rearranges are slow. The first exchange is done by loads (see halves).
    private static final VectorShuffle<Float> UP_1 = shift(-1);
    private static final VectorShuffle<Float> UP_2 = shift(-2);
    private static final VectorShuffle<Float> DOWN_1 = shift(1);
    private static final VectorShuffle<Float> DOWN_2 = shift(2);
    private static final VectorMask<Float> UPPER_1 = upper(1);
    private static final VectorMask<Float> UPPER_2 = upper(2);
    private static final VectorMask<Float> HALVES = VectorMask.fromLong(S8, 0xF0);
    // After two exchanges packRowPanels holds (row bits, k's lowest) in lanes where the micro-panel
    // wants (k's lowest, row bits): lane n takes lane ((n >> 1) & 1)·4 + (n & 1)·2 + (n >> 2).
    // At 16 lanes, the transposes of B run on 8-lane vectors on JDK 25 (1.16-1.22 times the scalar
    // loop at the NT training shapes, Zen 5) but not on JDK 17, where they ran at 0.56-0.67 of it
    // (JDK 18-24 not measured). A's transposes gained on both (1.09 at 64x100x1000 and 1.93 at
    // 1000x100x64:TN on JDK 17).
    private static final boolean B_TRANSPOSES = L == 8 || L > 8 && Runtime.version().feature() >= 25;
    private static final VectorShuffle<Float> K_MAJOR = VectorShuffle.fromOp(S8,
            n -> ((n >> 1) & 1) * 4 + (n & 1) * 2 + (n >> 2));

    /** Lane l takes lane l + by where that is a lane, else its own (those lanes are blended away). */
    private static VectorShuffle<Float> shift(int by) {
        return VectorShuffle.fromOp(S8, l -> l + by >= 0 && l + by < 8 ? l + by : l);
    }

    /**
     * Lanes 0..3 from x[i..i+3] and lanes 4..7 from x[j..j+3] of an 8-lane vector (S itself at
     * L == 8), by two loads and a blend: for rows at i and j, their exchange of 4-lane blocks
     * without a permute.
     * Reads x[i..i+7] and x[j-4..j+3], which callers keep inside the array.
     */
    static FloatVector halves(float[] x, int i, int j) {
        return FloatVector.fromArray(S8, x, i).blend(FloatVector.fromArray(S8, x, j - 4), HALVES);
    }

    private static VectorMask<Float> upper(int s) {
        boolean[] upper = new boolean[8];
        for (int l = 0; l < 8; l++) {
            upper[l] = l % (2 * s) >= s;
        }
        return VectorMask.fromArray(S8, upper, 0);
    }

    @Override
    public int panelWidth() {
        return NR;
    }

    @Override
    public void packPanels(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff) {
        // Two vectors per panel row: C2 would run a 16-float copy loop in its scalar pre- and
        // post-loops (its vector main loop is unrolled wider than 16), at several cycles a float.
        for (int p = 0; p < rows; p++) {
            int s = bo + p * ldb;
            for (int q = 0; q < panels; q++) {
                int d = dOff + (q * rows + p) * NR;
                FloatVector.fromArray(S, b, s + q * NR).intoArray(dst, d);
                FloatVector.fromArray(S, b, s + q * NR + L).intoArray(dst, d + L);
            }
        }
    }

    @Override
    public void packPanelsTransposed(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff) {
        // 8×8 blocks transposed in registers by exchanges of 4×4, 2×2 and 1×1 blocks (see
        // UP_1) on 8-lane vectors, also at 16 lanes where B_TRANSPOSES says so (a panel row is
        // then four blocks wide); otherwise the scalar twin's loop. The
        // transpose is written out in the loop: as a method of its own C2 did not inline it (too
        // large), and rebuilt its masks and shuffles and checked every load's range per block
        // (0.29-0.35 against 0.21 ns a float, JDK 25).
        int blocked = B_TRANSPOSES ? rows & ~7 : 0;
        for (int q = 0; q < panels; q++) {
            int d = dOff + q * rows * NR;
            for (int j = 0; j < NR; j += 8) {
                int s = bo + (q * NR + j) * ldb;
                for (int p = 0; p < blocked; p += 8) {
                    // The 8×8 block at rows s0..s7 (of B's storage) goes to eight rows of the
                    // panel from o. Every read lies between s0 and s7 + 7.
                    int s0 = s + p;
                    int s1 = s0 + ldb;
                    int s2 = s1 + ldb;
                    int s3 = s2 + ldb;
                    int s4 = s3 + ldb;
                    int s5 = s4 + ldb;
                    int s6 = s5 + ldb;
                    int s7 = s6 + ldb;
                    FloatVector t0 = halves(b, s0, s4);
                    FloatVector t1 = halves(b, s1, s5);
                    FloatVector t2 = halves(b, s2, s6);
                    FloatVector t3 = halves(b, s3, s7);
                    FloatVector t4 = halves(b, s0 + 4, s4 + 4);
                    FloatVector t5 = halves(b, s1 + 4, s5 + 4);
                    FloatVector t6 = halves(b, s2 + 4, s6 + 4);
                    FloatVector t7 = halves(b, s3 + 4, s7 + 4);
                    FloatVector u0 = t0.blend(t2.rearrange(UP_2), UPPER_2);
                    FloatVector u2 = t0.rearrange(DOWN_2).blend(t2, UPPER_2);
                    FloatVector u1 = t1.blend(t3.rearrange(UP_2), UPPER_2);
                    FloatVector u3 = t1.rearrange(DOWN_2).blend(t3, UPPER_2);
                    FloatVector u4 = t4.blend(t6.rearrange(UP_2), UPPER_2);
                    FloatVector u6 = t4.rearrange(DOWN_2).blend(t6, UPPER_2);
                    FloatVector u5 = t5.blend(t7.rearrange(UP_2), UPPER_2);
                    FloatVector u7 = t5.rearrange(DOWN_2).blend(t7, UPPER_2);
                    int o = d + p * NR + j;
                    u0.blend(u1.rearrange(UP_1), UPPER_1).intoArray(dst, o);
                    u0.rearrange(DOWN_1).blend(u1, UPPER_1).intoArray(dst, o + NR);
                    u2.blend(u3.rearrange(UP_1), UPPER_1).intoArray(dst, o + 2 * NR);
                    u2.rearrange(DOWN_1).blend(u3, UPPER_1).intoArray(dst, o + 3 * NR);
                    u4.blend(u5.rearrange(UP_1), UPPER_1).intoArray(dst, o + 4 * NR);
                    u4.rearrange(DOWN_1).blend(u5, UPPER_1).intoArray(dst, o + 5 * NR);
                    u6.blend(u7.rearrange(UP_1), UPPER_1).intoArray(dst, o + 6 * NR);
                    u6.rearrange(DOWN_1).blend(u7, UPPER_1).intoArray(dst, o + 7 * NR);
                }
                for (int jj = j; jj < j + 8; jj++) {
                    int src = bo + (q * NR + jj) * ldb;
                    for (int p = blocked; p < rows; p++) {
                        dst[d + p * NR + jj] = b[src + p];
                    }
                }
            }
        }
    }

    @Override
    public void packRowPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst) {
        // Four rows of eight k values into k-major order in 8-lane registers, also at 16 lanes
        // (packing 64x1000 took 5 µs instead of the scalar loop's 13, on a Zen 5); with 4 lanes,
        // the scalar twin's loop. The loads give vector = row, lane = k; the micro-panel wants
        // vector = k / 2, lane = (k % 2)·4 + row: two exchanges of blocks and one rearrange.
        int blocked = L >= 8 ? kc & ~7 : 0;
        for (int r = 0; r < panels; r++) {
            int s = ao + r * MR * lda;
            int d = r * kc * MR;
            for (int p = 0; p < blocked; p += 8) {
                int s0 = s + p;
                int s1 = s0 + lda;
                int s2 = s1 + lda;
                int s3 = s2 + lda;
                // Rows i and i + 2 exchange halves (every read lies between s0 and s3 + 7): t0
                // holds k 0-3 of rows 0 and 2, t2 k 4-7 of them.
                FloatVector t0 = halves(a, s0, s2);
                FloatVector t1 = halves(a, s1, s3);
                FloatVector t2 = halves(a, s0 + 4, s2 + 4);
                FloatVector t3 = halves(a, s1 + 4, s3 + 4);
                // Then rows' lowest bit for k's second: vector m now holds k 2m and 2m + 1.
                FloatVector u0 = t0.blend(t1.rearrange(UP_2), UPPER_2);
                FloatVector u1 = t0.rearrange(DOWN_2).blend(t1, UPPER_2);
                FloatVector u2 = t2.blend(t3.rearrange(UP_2), UPPER_2);
                FloatVector u3 = t2.rearrange(DOWN_2).blend(t3, UPPER_2);
                int o = d + p * MR;
                u0.rearrange(K_MAJOR).intoArray(dst, o);
                u1.rearrange(K_MAJOR).intoArray(dst, o + 8);
                u2.rearrange(K_MAJOR).intoArray(dst, o + 16);
                u3.rearrange(K_MAJOR).intoArray(dst, o + 24);
            }
            for (int i = 0; i < MR; i++) {
                for (int p = blocked; p < kc; p++) {
                    dst[d + p * MR + i] = a[s + i * lda + p];
                }
            }
        }
    }

    @Override
    public void packColumnPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst) {
        // With 8 lanes or more, pairs of micro-panels (8 columns of A) two k at a time: each store is
        // two k's rows of one micro-panel, joined by two loads and a blend. Copied 4 floats at a
        // time by 128-bit vectors instead, 1000x100x64:TN ran on JDK 17 at half its speed on JDK
        // 25 (C2's profile at intoArray held Float128 and Float256); now alike (JDK 25 unchanged).
        int paired = L >= 8 ? panels & ~1 : 0;
        int evenK = kc & ~1;
        for (int r = 0; r < paired; r += 2) {
            int s = ao + r * MR;
            int d0 = r * kc * MR;
            int d1 = d0 + kc * MR;
            for (int p = 0; p < evenK; p += 2) {
                int s0 = s + p * lda;
                int s1 = s0 + lda;
                // Reads s0..s0+11 and s1-4..s1+7, all in rows p and p + 1 (lda >= 8).
                halves(a, s0, s1).intoArray(dst, d0 + p * MR);
                halves(a, s0 + 4, s1 + 4).intoArray(dst, d1 + p * MR);
            }
        }
        // What the pairs left (their last k when kc is odd, a last odd micro-panel), or, with 4
        // lanes, everything: one 4-float row of a micro-panel per k (at 16 lanes too).
        for (int r = 0; r < panels; r++) {
            int s = ao + r * MR;
            int d = r * kc * MR;
            int p = r < paired ? evenK : 0;
            if (L != 8) {
                for (; p < kc; p++) {
                    FloatVector.fromArray(S4, a, s + p * lda).intoArray(dst, d + p * MR);
                }
            }
            for (; p < kc; p++) {
                for (int i = 0; i < MR; i++) {
                    dst[d + p * MR + i] = a[s + p * lda + i];
                }
            }
        }
    }
}
