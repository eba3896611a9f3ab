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
        int j0 = jc + full * nr;
        partialPanel(transB, b, transB ? bo + j0 * ldb + pc : bo + pc * ldb + j0, ldb, width, kc, nr, dst,
                dOff + full * kc * nr);
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
            int i0 = ic + r * MR;
            partialPanel(!transA, a, transA ? ao + pc * lda + i0 : ao + i0 * lda + pc, lda, Math.min(MR, mc - r * MR),
                    kc, MR, dst, r * kc * MR);
        }
    }

    /**
     * Packs a partial panel, the edge of op(A) or op(B): {@code lines} rows of A or columns of B,
     * each of kc values, into a panel {@code width} wide (k-major: the values of one k side by
     * side), zero-padded. A line's values are consecutive in {@code src} when {@code lineMajor},
     * else one k's values are. Zeroed whole, then the lines copied. With a test per element
     * packB's edge had cost a tenth of 64x100x1000, and packA's was compiled three times in
     * MNIST's first epoch, deoptimized at that test ("profile_predicate"), 0.16 s of C2; with a
     * zero loop per row packB's edge took 9 ns a row at width 4 against 5.
     */
    private static void partialPanel(boolean lineMajor, float[] src, int s, int ld, int lines, int kc, int width,
                                     float[] dst, int d) {
        Arrays.fill(dst, d, d + kc * width, 0f);
        if (lineMajor) {
            for (int l = 0; l < lines; l++) {
                for (int p = 0; p < kc; p++) {
                    dst[d + p * width + l] = src[s + l * ld + p];
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                for (int l = 0; l < lines; l++) {
                    dst[d + p * width + l] = src[s + p * ld + l];
                }
            }
        }
    }
}
