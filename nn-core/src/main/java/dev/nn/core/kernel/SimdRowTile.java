package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 1 × 4·NR tile on the Vector API: one row of an A micro-panel against four consecutive B
 * panels, for products of fewer rows than a micro-panel. Eight accumulators (four panels of two
 * vectors) keep both FMA units busy on one row, where an MR-row tile would spend three quarters
 * of its multiply-adds on padding; per k, one broadcast and eight loads of B feed eight FMAs.
 * Each element is the same sum as in {@link SimdTile}, so the same bits.
 */
final class SimdRowTile implements MicroKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    private static final int MR = PackKernels.MR;

    @Override
    public int rows() {
        return 1;
    }

    @Override
    public int columns() {
        return 4 * NR;
    }

    @Override
    public void tile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                     float[] c, int co, int ldc) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        int b1 = bo + kc * NR;
        int b2 = b1 + kc * NR;
        int b3 = b2 + kc * NR;
        for (int k = 0; k < kc; k++) {
            FloatVector ak = FloatVector.broadcast(S, a[ao + k * MR]);
            int bk = k * NR;
            c0 = FloatVector.fromArray(S, b, bo + bk).fma(ak, c0);
            c1 = FloatVector.fromArray(S, b, bo + bk + L).fma(ak, c1);
            c2 = FloatVector.fromArray(S, b, b1 + bk).fma(ak, c2);
            c3 = FloatVector.fromArray(S, b, b1 + bk + L).fma(ak, c3);
            c4 = FloatVector.fromArray(S, b, b2 + bk).fma(ak, c4);
            c5 = FloatVector.fromArray(S, b, b2 + bk + L).fma(ak, c5);
            c6 = FloatVector.fromArray(S, b, b3 + bk).fma(ak, c6);
            c7 = FloatVector.fromArray(S, b, b3 + bk + L).fma(ak, c7);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        // Both branches consume the accumulators (a vector merged at a branch is boxed).
        if (accumulate) {
            c0.fma(va, FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c1.fma(va, FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
            c2.fma(va, FloatVector.fromArray(S, c, co + 2 * L)).intoArray(c, co + 2 * L);
            c3.fma(va, FloatVector.fromArray(S, c, co + 3 * L)).intoArray(c, co + 3 * L);
            c4.fma(va, FloatVector.fromArray(S, c, co + 4 * L)).intoArray(c, co + 4 * L);
            c5.fma(va, FloatVector.fromArray(S, c, co + 5 * L)).intoArray(c, co + 5 * L);
            c6.fma(va, FloatVector.fromArray(S, c, co + 6 * L)).intoArray(c, co + 6 * L);
            c7.fma(va, FloatVector.fromArray(S, c, co + 7 * L)).intoArray(c, co + 7 * L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c0.fma(va, zero).intoArray(c, co);
            c1.fma(va, zero).intoArray(c, co + L);
            c2.fma(va, zero).intoArray(c, co + 2 * L);
            c3.fma(va, zero).intoArray(c, co + 3 * L);
            c4.fma(va, zero).intoArray(c, co + 4 * L);
            c5.fma(va, zero).intoArray(c, co + 5 * L);
            c6.fma(va, zero).intoArray(c, co + 6 * L);
            c7.fma(va, zero).intoArray(c, co + 7 * L);
        }
    }
}
