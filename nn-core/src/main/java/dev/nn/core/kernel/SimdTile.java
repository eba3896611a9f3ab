package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The MR × NR register tile on the Vector API, NR two vectors: 8 accumulators, which C2 keeps in
 * registers even with AVX2's 16 vector registers.
 */
final class SimdTile implements MicroKernel {

    // static final: a species held anywhere else makes every vector operation many times slower.
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    private static final int MR = PackKernels.MR;

    @Override
    public int rows() {
        return MR;
    }

    @Override
    public int columns() {
        return NR;
    }

    @Override
    public void tile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                     float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        // Indices linear in k let C2 hoist the range checks out of the loop. Not unrolled by hand:
        // with k += 2, C2 kept range checks and a safepoint poll in the loop; with a pair counter
        // it hoisted all eight broadcasts and four loads, and four accumulators went to the stack
        // (whole GEMMs 5-20% slower, JDK 25).
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * MR;
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
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int c1 = co + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        // Both branches consume the accumulators; neither defines a vector used after the merge
        // (a vector merged at a branch is boxed).
        if (accumulate) {
            c00.fma(va, FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.fma(va, FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
            c10.fma(va, FloatVector.fromArray(S, c, c1)).intoArray(c, c1);
            c11.fma(va, FloatVector.fromArray(S, c, c1 + L)).intoArray(c, c1 + L);
            c20.fma(va, FloatVector.fromArray(S, c, c2)).intoArray(c, c2);
            c21.fma(va, FloatVector.fromArray(S, c, c2 + L)).intoArray(c, c2 + L);
            c30.fma(va, FloatVector.fromArray(S, c, c3)).intoArray(c, c3);
            c31.fma(va, FloatVector.fromArray(S, c, c3 + L)).intoArray(c, c3 + L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00.fma(va, zero).intoArray(c, co);
            c01.fma(va, zero).intoArray(c, co + L);
            c10.fma(va, zero).intoArray(c, c1);
            c11.fma(va, zero).intoArray(c, c1 + L);
            c20.fma(va, zero).intoArray(c, c2);
            c21.fma(va, zero).intoArray(c, c2 + L);
            c30.fma(va, zero).intoArray(c, c3);
            c31.fma(va, zero).intoArray(c, c3 + L);
        }
    }

    @Override
    public void tiles(int kc, float[] a, int ao, int aStep, float[] b, int bo, int bStep, int tiles, float alpha,
                      float[] c, int co, int cStep, int ldc) {
        // tile's body again, in a loop over tiles: a call costs about 20 ns, 7-13% of a tile
        // at kc = 64-128. Store-only, and kept apart from tile (neither calls the other), so
        // that C2 compiles it for what it does: with tile's accumulate branch in it, once both
        // branches had run its k loop spilled B's base and offset (seen in the disassembly, JDK
        // 25), and products ran at 0.72-0.90 of the speed they have now.
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
            for (int k = 0; k < kc; k++) {
                int ak = at + k * MR;
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
            }
            FloatVector va = FloatVector.broadcast(S, alpha);
            int c1 = ct + ldc;
            int c2 = c1 + ldc;
            int c3 = c2 + ldc;
            FloatVector zero = FloatVector.zero(S);
            c00.fma(va, zero).intoArray(c, ct);
            c01.fma(va, zero).intoArray(c, ct + L);
            c10.fma(va, zero).intoArray(c, c1);
            c11.fma(va, zero).intoArray(c, c1 + L);
            c20.fma(va, zero).intoArray(c, c2);
            c21.fma(va, zero).intoArray(c, c2 + L);
            c30.fma(va, zero).intoArray(c, c3);
            c31.fma(va, zero).intoArray(c, c3 + L);
        }
    }
}
