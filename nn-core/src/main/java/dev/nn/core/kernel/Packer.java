package dev.nn.core.kernel;

import java.util.Arrays;

/**
 * Packs blocks of op(A) and op(B) for the micro-kernels (BLIS's packing framework): full panels
 * through the {@link PackKernels}, the partial one at an edge here, padded with zeros so that no
 * micro-kernel checks bounds.
 */
final class Packer {

    private static final int MR = PackKernels.MR;

    private final PackKernels kernels;
    private final int nr;

    Packer(PackKernels kernels) {
        this.kernels = kernels;
        this.nr = kernels.panelWidth();
    }

    /**
     * Packs panels [q0, q1) of op(B)[pc..pc+kc)[jc..jc+nc) as panels of NR columns: panel q holds
     * kc rows of NR floats, from {@code dst[dOff + q·kc·NR]}.
     */
    void packB(boolean transB, float[] b, int bo, int ldb, int pc, int kc, int jc, int nc, int q0, int q1,
               float[] dst, int dOff) {
        // Full panels through the kernels. Row-major B goes row by row, so reads stream through
        // memory (panel by panel, each row of B was fetched once per panel: packing took a third
        // as long as the arithmetic at M = 64); the SIMD kernels transpose a transposed B in 8×8
        // blocks in registers (it took a third as long as the arithmetic at 64×1000·(1000×100)ᵀ).
        int full = nc / nr;
        int fullEnd = Math.min(q1, full);
        if (q0 < fullEnd && transB) {
            kernels.packPanelsTransposed(b, bo + (jc + q0 * nr) * ldb + pc, ldb, kc, fullEnd - q0, dst,
                    dOff + q0 * kc * nr);
        } else if (q0 < fullEnd) {
            kernels.packPanels(b, bo + pc * ldb + jc + q0 * nr, ldb, kc, fullEnd - q0, dst, dOff + q0 * kc * nr);
        }
        int width = nc - full * nr;
        if (width == 0 || q1 <= full) {
            return;
        }
        // The last, partial panel, here: zeroed whole, then its columns copied (with a zero loop
        // per row, 9 ns a row at width 4 against 5; with a test per element this panel had cost a
        // tenth of 64x100x1000).
        int d = dOff + full * kc * nr;
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
    void packA(boolean transA, float[] a, int ao, int lda, int ic, int mc, int pc, int kc, float[] dst) {
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
            // Zeroed whole, then its rows copied, as packB's partial panel. With a test per
            // element C2 compiled packA three times in MNIST's first epoch (deoptimized at that
            // test, "profile_predicate"), 0.16 s of compiling; now once.
            Arrays.fill(dst, d, d + kc * MR, 0f);
            if (!transA) {
                for (int i = 0; i < height; i++) {
                    int src = ao + (ic + i0 + i) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * MR + i] = a[src + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = ao + (pc + p) * lda + ic + i0;
                    for (int i = 0; i < height; i++) {
                        dst[d + p * MR + i] = a[src + i];
                    }
                }
            }
        }
    }
}
