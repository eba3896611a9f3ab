package dev.nn.core.kernel;

/** The scalar twin of the packing kernels, for B panels of any width that is a multiple of 2·MR. */
final class ScalarPack implements PackKernels {

    private final int nr;

    ScalarPack(int nr) {
        this.nr = nr;
    }

    @Override
    public int panelWidth() {
        return nr;
    }

    @Override
    public void packPanelsTransposed(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff) {
        for (int q = 0; q < panels; q++) {
            for (int j = 0; j < nr; j++) {
                int s = bo + (q * nr + j) * ldb;
                int d = dOff + q * rows * nr + j;
                for (int p = 0; p < rows; p++) {
                    dst[d + p * nr] = b[s + p];
                }
            }
        }
    }

    @Override
    public void packRowPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst) {
        for (int r = 0; r < panels; r++) {
            for (int i = 0; i < MR; i++) {
                int s = ao + (r * MR + i) * lda;
                int d = r * kc * MR + i;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * MR] = a[s + p];
                }
            }
        }
    }

    @Override
    public void packColumnPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst) {
        for (int r = 0; r < panels; r++) {
            for (int p = 0; p < kc; p++) {
                int s = ao + p * lda + r * MR;
                int d = (r * kc + p) * MR;
                for (int i = 0; i < MR; i++) {
                    dst[d + i] = a[s + i];
                }
            }
        }
    }

    @Override
    public void packPanels(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff) {
        for (int p = 0; p < rows; p++) {
            for (int q = 0; q < panels; q++) {
                int d = dOff + (q * rows + p) * nr;
                int s = bo + p * ldb + q * nr;
                for (int j = 0; j < nr; j++) {
                    dst[d + j] = b[s + j];
                }
            }
        }
    }
}
