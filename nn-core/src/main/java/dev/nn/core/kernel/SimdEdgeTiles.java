package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels on the Vector API for a last panel of B that is mostly padding: narrow
 * (2·MR × NR/2), quarter (2·MR × NR/4) and columns (4·MR × MR, stored transposed). Each sums as
 * {@link SimdTile} does, so an element's bits do not depend on which kernel computed it.
 */
final class SimdEdgeTiles {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    private static final int MR = PackKernels.MR;
    // Half a vector, for the quarter tile (its rows are NR/4 = L/2 floats).
    private static final VectorSpecies<Float> SH = S.withShape(VectorShape.forBitSize(S.vectorBitSize() / 2));
    // Eight lanes, for the columns tile (S itself where L == 8).
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;

    private SimdEdgeTiles() {
    }

    /** Eight rows of one vector, for a last panel of B at most half full. */
    static final class Narrow implements MicroKernel {

        @Override
        public int rows() {
            return 2 * MR;
        }

        @Override
        public int columns() {
            return NR / 2;
        }

        @Override
        public void tile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                         float[] c, int co, int ldc) {
            // Eight rows of one vector: eight accumulators again, with one B load and eight
            // broadcasts per k (the 4×NR tile has two and four).
            FloatVector c0 = FloatVector.zero(S);
            FloatVector c1 = c0;
            FloatVector c2 = c0;
            FloatVector c3 = c0;
            FloatVector c4 = c0;
            FloatVector c5 = c0;
            FloatVector c6 = c0;
            FloatVector c7 = c0;
            int next = ao + kc * MR;
            for (int k = 0; k < kc; k++) {
                int ak = ao + k * MR;
                int an = next + k * MR;
                FloatVector b0 = FloatVector.fromArray(S, b, bo + k * NR);
                c0 = b0.fma(FloatVector.broadcast(S, a[ak]), c0);
                c1 = b0.fma(FloatVector.broadcast(S, a[ak + 1]), c1);
                c2 = b0.fma(FloatVector.broadcast(S, a[ak + 2]), c2);
                c3 = b0.fma(FloatVector.broadcast(S, a[ak + 3]), c3);
                c4 = b0.fma(FloatVector.broadcast(S, a[an]), c4);
                c5 = b0.fma(FloatVector.broadcast(S, a[an + 1]), c5);
                c6 = b0.fma(FloatVector.broadcast(S, a[an + 2]), c6);
                c7 = b0.fma(FloatVector.broadcast(S, a[an + 3]), c7);
            }
            FloatVector va = FloatVector.broadcast(S, alpha);
            if (accumulate) {
                c0.fma(va, FloatVector.fromArray(S, c, co)).intoArray(c, co);
                c1.fma(va, FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
                c2.fma(va, FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
                c3.fma(va, FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
                c4.fma(va, FloatVector.fromArray(S, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
                c5.fma(va, FloatVector.fromArray(S, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
                c6.fma(va, FloatVector.fromArray(S, c, co + 6 * ldc)).intoArray(c, co + 6 * ldc);
                c7.fma(va, FloatVector.fromArray(S, c, co + 7 * ldc)).intoArray(c, co + 7 * ldc);
            } else {
                FloatVector zero = FloatVector.zero(S);
                c0.fma(va, zero).intoArray(c, co);
                c1.fma(va, zero).intoArray(c, co + ldc);
                c2.fma(va, zero).intoArray(c, co + 2 * ldc);
                c3.fma(va, zero).intoArray(c, co + 3 * ldc);
                c4.fma(va, zero).intoArray(c, co + 4 * ldc);
                c5.fma(va, zero).intoArray(c, co + 5 * ldc);
                c6.fma(va, zero).intoArray(c, co + 6 * ldc);
                c7.fma(va, zero).intoArray(c, co + 7 * ldc);
            }
        }
    }

    /** Eight rows of half a vector, for a last panel of B at most a quarter full (NR >= 8·MR). */
    static final class Quarter implements MicroKernel {

        @Override
        public int rows() {
            return 2 * MR;
        }

        @Override
        public int columns() {
            return NR / 4;
        }

        @Override
        public void tile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                         float[] c, int co, int ldc) {
            // Narrow's body on half vectors (a species must be a constant, so the body is
            // written out again): at NR = 32, 16 lanes, a last panel of 5 to 8 columns leaves at
            // least half of the narrow tile's 16 columns padding.
            FloatVector c0 = FloatVector.zero(SH);
            FloatVector c1 = c0;
            FloatVector c2 = c0;
            FloatVector c3 = c0;
            FloatVector c4 = c0;
            FloatVector c5 = c0;
            FloatVector c6 = c0;
            FloatVector c7 = c0;
            int next = ao + kc * MR;
            for (int k = 0; k < kc; k++) {
                int ak = ao + k * MR;
                int an = next + k * MR;
                FloatVector b0 = FloatVector.fromArray(SH, b, bo + k * NR);
                c0 = b0.fma(FloatVector.broadcast(SH, a[ak]), c0);
                c1 = b0.fma(FloatVector.broadcast(SH, a[ak + 1]), c1);
                c2 = b0.fma(FloatVector.broadcast(SH, a[ak + 2]), c2);
                c3 = b0.fma(FloatVector.broadcast(SH, a[ak + 3]), c3);
                c4 = b0.fma(FloatVector.broadcast(SH, a[an]), c4);
                c5 = b0.fma(FloatVector.broadcast(SH, a[an + 1]), c5);
                c6 = b0.fma(FloatVector.broadcast(SH, a[an + 2]), c6);
                c7 = b0.fma(FloatVector.broadcast(SH, a[an + 3]), c7);
            }
            FloatVector va = FloatVector.broadcast(SH, alpha);
            if (accumulate) {
                c0.fma(va, FloatVector.fromArray(SH, c, co)).intoArray(c, co);
                c1.fma(va, FloatVector.fromArray(SH, c, co + ldc)).intoArray(c, co + ldc);
                c2.fma(va, FloatVector.fromArray(SH, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
                c3.fma(va, FloatVector.fromArray(SH, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
                c4.fma(va, FloatVector.fromArray(SH, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
                c5.fma(va, FloatVector.fromArray(SH, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
                c6.fma(va, FloatVector.fromArray(SH, c, co + 6 * ldc)).intoArray(c, co + 6 * ldc);
                c7.fma(va, FloatVector.fromArray(SH, c, co + 7 * ldc)).intoArray(c, co + 7 * ldc);
            } else {
                FloatVector zero = FloatVector.zero(SH);
                c0.fma(va, zero).intoArray(c, co);
                c1.fma(va, zero).intoArray(c, co + ldc);
                c2.fma(va, zero).intoArray(c, co + 2 * ldc);
                c3.fma(va, zero).intoArray(c, co + 3 * ldc);
                c4.fma(va, zero).intoArray(c, co + 4 * ldc);
                c5.fma(va, zero).intoArray(c, co + 5 * ldc);
                c6.fma(va, zero).intoArray(c, co + 6 * ldc);
                c7.fma(va, zero).intoArray(c, co + 7 * ldc);
            }
        }
    }

    /** Sixteen rows by MR columns, stored transposed, for a last panel of B of at most MR columns. */
    static final class Columns implements MicroKernel {

        // Where vectors have fewer than 8 lanes (Gemm calls it only where NR is at least 4·MR).
        private static final ScalarTile SCALAR = new ScalarTile(4 * MR, MR, NR, true);

        @Override
        public int rows() {
            return 4 * MR;
        }

        @Override
        public int columns() {
            return MR;
        }

        @Override
        public boolean transposed() {
            return true;
        }

        @Override
        public void tile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                         float[] c, int co, int ldc) {
            if (L < 8) {
                // Gemm calls it only where NR is at least 4·MR, 8 lanes or more.
                SCALAR.tile(kc, a, ao, b, bo, alpha, accumulate, c, co, ldc);
                return;
            }
            // Vectors of eight lanes (S itself at L = 8, half of it at 16) run down C's columns: eight
            // rows (two micro-panels' MR values, joined by halves) times one broadcast B value. Eight
            // accumulators, as in the other tiles; per k, four loads and two blends of A and four
            // broadcasts for eight fmas, where a narrow tile spends one load and eight broadcasts on
            // eight fmas of which, at four columns of 16, half are padding (at 4 of 32, three quarters).
            FloatVector c00 = FloatVector.zero(S8);
            FloatVector c01 = c00;
            FloatVector c10 = c00;
            FloatVector c11 = c00;
            FloatVector c20 = c00;
            FloatVector c21 = c00;
            FloatVector c30 = c00;
            FloatVector c31 = c00;
            int a1 = ao + kc * MR;
            int a2 = a1 + kc * MR;
            int a3 = a2 + kc * MR;
            for (int k = 0; k < kc; k++) {
                int ak = k * MR;
                int bk = bo + k * NR;
                // Rows 0-7 and 8-15; the loads stay inside the four micro-panels.
                FloatVector low = SimdPack.halves(a, ao + ak, a1 + ak);
                FloatVector high = SimdPack.halves(a, a2 + ak, a3 + ak);
                FloatVector b0 = FloatVector.broadcast(S8, b[bk]);
                c00 = low.fma(b0, c00);
                c01 = high.fma(b0, c01);
                FloatVector b1 = FloatVector.broadcast(S8, b[bk + 1]);
                c10 = low.fma(b1, c10);
                c11 = high.fma(b1, c11);
                FloatVector b2 = FloatVector.broadcast(S8, b[bk + 2]);
                c20 = low.fma(b2, c20);
                c21 = high.fma(b2, c21);
                FloatVector b3 = FloatVector.broadcast(S8, b[bk + 3]);
                c30 = low.fma(b3, c30);
                c31 = high.fma(b3, c31);
            }
            // Column j at c[co + j·ldc], two vectors: SimdTile's stores, written out again (a method
            // taking the eight accumulators boxes them wherever C2 does not inline it).
            FloatVector va = FloatVector.broadcast(S8, alpha);
            int c1 = co + ldc;
            int c2 = c1 + ldc;
            int c3 = c2 + ldc;
            if (accumulate) {
                c00.fma(va, FloatVector.fromArray(S8, c, co)).intoArray(c, co);
                c01.fma(va, FloatVector.fromArray(S8, c, co + 8)).intoArray(c, co + 8);
                c10.fma(va, FloatVector.fromArray(S8, c, c1)).intoArray(c, c1);
                c11.fma(va, FloatVector.fromArray(S8, c, c1 + 8)).intoArray(c, c1 + 8);
                c20.fma(va, FloatVector.fromArray(S8, c, c2)).intoArray(c, c2);
                c21.fma(va, FloatVector.fromArray(S8, c, c2 + 8)).intoArray(c, c2 + 8);
                c30.fma(va, FloatVector.fromArray(S8, c, c3)).intoArray(c, c3);
                c31.fma(va, FloatVector.fromArray(S8, c, c3 + 8)).intoArray(c, c3 + 8);
            } else {
                FloatVector zero = FloatVector.zero(S8);
                c00.fma(va, zero).intoArray(c, co);
                c01.fma(va, zero).intoArray(c, co + 8);
                c10.fma(va, zero).intoArray(c, c1);
                c11.fma(va, zero).intoArray(c, c1 + 8);
                c20.fma(va, zero).intoArray(c, c2);
                c21.fma(va, zero).intoArray(c, c2 + 8);
                c30.fma(va, zero).intoArray(c, c3);
                c31.fma(va, zero).intoArray(c, c3 + 8);
            }
        }
    }
}
