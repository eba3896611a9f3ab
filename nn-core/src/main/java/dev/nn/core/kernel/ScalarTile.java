package dev.nn.core.kernel;

/**
 * The scalar twin of every micro-kernel: one loop nest for any shape, the definition in
 * {@link MicroKernel}'s comment written out.
 */
final class ScalarTile implements MicroKernel {

    private final int rows;
    private final int columns;
    private final int nr;
    private final boolean transposed;

    ScalarTile(int rows, int columns, int nr, boolean transposed) {
        this.rows = rows;
        this.columns = columns;
        this.nr = nr;
        this.transposed = transposed;
    }

    /** Returns the scalar kernels for B panels {@code nr} wide. */
    static MicroKernels family(int nr) {
        final int mr = PackKernels.MR;
        return new MicroKernels(nr, new ScalarTile(mr, nr, nr, false), new ScalarTile(2 * mr, nr, nr, false),
                new ScalarTile(2 * mr, nr / 2, nr, false), new ScalarTile(2 * mr, nr / 4, nr, false),
                new ScalarTile(4 * mr, mr, nr, true), new ScalarTile(1, 4 * nr, nr, false));
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int columns() {
        return columns;
    }

    @Override
    public boolean transposed() {
        return transposed;
    }

    @Override
    public void tile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                     float[] c, int co, int ldc) {
        final int mr = PackKernels.MR;
        if (transposed) {
            // One element at a time, so it allocates nothing: the SIMD columns kernel runs this
            // where vectors have fewer than 8 lanes.
            for (int i = 0; i < rows; i++) {
                int ai = ao + i / mr * kc * mr + i % mr;
                for (int j = 0; j < columns; j++) {
                    float acc = 0f;
                    for (int k = 0; k < kc; k++) {
                        acc = Math.fma(b[bo + j / nr * kc * nr + k * nr + j % nr], a[ai + k * mr], acc);
                    }
                    int ci = co + j * ldc + i;
                    c[ci] = Math.fma(acc, alpha, accumulate ? c[ci] : 0f);
                }
            }
            return;
        }
        // k outermost, reading both panels in order (the same sums, element by element).
        float[] acc = new float[rows * columns];
        for (int k = 0; k < kc; k++) {
            for (int i = 0; i < rows; i++) {
                float ai = a[ao + i / mr * kc * mr + k * mr + i % mr];
                for (int j = 0; j < columns; j++) {
                    acc[i * columns + j] = Math.fma(b[bo + j / nr * kc * nr + k * nr + j % nr], ai,
                            acc[i * columns + j]);
                }
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                int ci = co + i * ldc + j;
                c[ci] = Math.fma(acc[i * columns + j], alpha, accumulate ? c[ci] : 0f);
            }
        }
    }
}
