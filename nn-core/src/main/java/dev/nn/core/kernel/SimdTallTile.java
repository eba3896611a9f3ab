package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 2·MR × NR register tile on the Vector API: {@link SimdTile}'s sums for two A
 * micro-panels, 16 accumulators, for cores with two FMA units. AVX-512 has 32 vector registers
 * to hold them; AVX2's 16 would spill (see {@link Gemm}'s choice of tile).
 */
final class SimdTallTile implements MicroKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    private static final int MR = PackKernels.MR;

    @Override
    public int rows() {
        return 2 * MR;
    }

    @Override
    public int columns() {
        return NR;
    }

    @Override
    public void tile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                     float[] c, int co, int ldc) {
        // Two kernels, one epilogue each (see update); neither is small enough for C2 to inline
        // here, so this call costs one more branch.
        if (accumulate) {
            update(kc, a, ao, b, bo, alpha, c, co, ldc);
        } else {
            tiles(kc, a, ao, 0, b, bo, 0, 1, alpha, c, co, 0, ldc);
        }
    }

    /** Adds the tile to C (see tile). */
    private static void update(int kc, float[] a, int ao, float[] b, int bo, float alpha, float[] c, int co, int ldc) {
        // SimdTile's body for two A micro-panels: 16 accumulators, for cores with two FMA units
        // (a 4-cycle latency times two units wants at least 8 FMAs in flight, and the 4-row tile
        // has exactly 8). Two B loads and eight broadcasts per k feed 16 FMAs. It only
        // accumulates (tiles stores): with both epilogues, about 110 Vector API calls,
        // its compilation could pass C2's node cutoff for inlining, and then boxed two vectors
        // a call in some JVMs (KernelAllocationTest, in the whole suite only).
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        int next = ao + kc * MR;
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * MR;
            int an = next + k * MR;
            int bk = bo + k * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[an]);
            c40 = b0.fma(a4, c40);
            c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[an + 1]);
            c50 = b0.fma(a5, c50);
            c51 = b1.fma(a5, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[an + 2]);
            c60 = b0.fma(a6, c60);
            c61 = b1.fma(a6, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[an + 3]);
            c70 = b0.fma(a7, c70);
            c71 = b1.fma(a7, c71);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int c1 = co + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        int c6 = c5 + ldc;
        int c7 = c6 + ldc;
        c00.fma(va, FloatVector.fromArray(S, c, co)).intoArray(c, co);
        c01.fma(va, FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
        c10.fma(va, FloatVector.fromArray(S, c, c1)).intoArray(c, c1);
        c11.fma(va, FloatVector.fromArray(S, c, c1 + L)).intoArray(c, c1 + L);
        c20.fma(va, FloatVector.fromArray(S, c, c2)).intoArray(c, c2);
        c21.fma(va, FloatVector.fromArray(S, c, c2 + L)).intoArray(c, c2 + L);
        c30.fma(va, FloatVector.fromArray(S, c, c3)).intoArray(c, c3);
        c31.fma(va, FloatVector.fromArray(S, c, c3 + L)).intoArray(c, c3 + L);
        c40.fma(va, FloatVector.fromArray(S, c, c4)).intoArray(c, c4);
        c41.fma(va, FloatVector.fromArray(S, c, c4 + L)).intoArray(c, c4 + L);
        c50.fma(va, FloatVector.fromArray(S, c, c5)).intoArray(c, c5);
        c51.fma(va, FloatVector.fromArray(S, c, c5 + L)).intoArray(c, c5 + L);
        c60.fma(va, FloatVector.fromArray(S, c, c6)).intoArray(c, c6);
        c61.fma(va, FloatVector.fromArray(S, c, c6 + L)).intoArray(c, c6 + L);
        c70.fma(va, FloatVector.fromArray(S, c, c7)).intoArray(c, c7);
        c71.fma(va, FloatVector.fromArray(S, c, c7 + L)).intoArray(c, c7 + L);
    }

    @Override
    public void tiles(int kc, float[] a, int ao, int aStep, float[] b, int bo, int bStep, int tiles,
                      float alpha, float[] c, int co, int cStep, int ldc) {
        // update's body in a loop over tiles, store-only, kept apart from it as SimdTile's tiles
        // is from its tile.
        for (int t = 0; t < tiles; t++) {
            int at = ao + t * aStep;
            int bt = bo + t * bStep;
            int ct = co + t * cStep;
            FloatVector c00 = FloatVector.zero(S);
            FloatVector c01 = c00;
            FloatVector c10 = c00;
            FloatVector c11 = c00;
            FloatVector c20 = c00;
            FloatVector c21 = c00;
            FloatVector c30 = c00;
            FloatVector c31 = c00;
            FloatVector c40 = c00;
            FloatVector c41 = c00;
            FloatVector c50 = c00;
            FloatVector c51 = c00;
            FloatVector c60 = c00;
            FloatVector c61 = c00;
            FloatVector c70 = c00;
            FloatVector c71 = c00;
            int next = at + kc * MR;
            for (int k = 0; k < kc; k++) {
                int ak = at + k * MR;
                int an = next + k * MR;
                int bk = bt + k * NR;
                FloatVector b0 = FloatVector.fromArray(S, b, bk);
                FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
                FloatVector a0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(a0, c00);
                c01 = b1.fma(a0, c01);
                FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
                c10 = b0.fma(a1, c10);
                c11 = b1.fma(a1, c11);
                FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
                c20 = b0.fma(a2, c20);
                c21 = b1.fma(a2, c21);
                FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
                c30 = b0.fma(a3, c30);
                c31 = b1.fma(a3, c31);
                FloatVector a4 = FloatVector.broadcast(S, a[an]);
                c40 = b0.fma(a4, c40);
                c41 = b1.fma(a4, c41);
                FloatVector a5 = FloatVector.broadcast(S, a[an + 1]);
                c50 = b0.fma(a5, c50);
                c51 = b1.fma(a5, c51);
                FloatVector a6 = FloatVector.broadcast(S, a[an + 2]);
                c60 = b0.fma(a6, c60);
                c61 = b1.fma(a6, c61);
                FloatVector a7 = FloatVector.broadcast(S, a[an + 3]);
                c70 = b0.fma(a7, c70);
                c71 = b1.fma(a7, c71);
            }
            FloatVector va = FloatVector.broadcast(S, alpha);
            int c1 = ct + ldc;
            int c2 = c1 + ldc;
            int c3 = c2 + ldc;
            int c4 = c3 + ldc;
            int c5 = c4 + ldc;
            int c6 = c5 + ldc;
            int c7 = c6 + ldc;
            FloatVector zero = FloatVector.zero(S);
            c00.fma(va, zero).intoArray(c, ct);
            c01.fma(va, zero).intoArray(c, ct + L);
            c10.fma(va, zero).intoArray(c, c1);
            c11.fma(va, zero).intoArray(c, c1 + L);
            c20.fma(va, zero).intoArray(c, c2);
            c21.fma(va, zero).intoArray(c, c2 + L);
            c30.fma(va, zero).intoArray(c, c3);
            c31.fma(va, zero).intoArray(c, c3 + L);
            c40.fma(va, zero).intoArray(c, c4);
            c41.fma(va, zero).intoArray(c, c4 + L);
            c50.fma(va, zero).intoArray(c, c5);
            c51.fma(va, zero).intoArray(c, c5 + L);
            c60.fma(va, zero).intoArray(c, c6);
            c61.fma(va, zero).intoArray(c, c6 + L);
            c70.fma(va, zero).intoArray(c, c7);
            c71.fma(va, zero).intoArray(c, c7 + L);
        }
    }
}
