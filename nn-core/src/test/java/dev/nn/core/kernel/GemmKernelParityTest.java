package dev.nn.core.kernel;

import static dev.nn.core.kernel.KernelParityTest.assertBits;
import static dev.nn.core.kernel.KernelParityTest.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The GEMM's kernels, packing and micro-kernels, against their definitions, for the SIMD kernels
 * (when the Vector API is present) and the scalar twin at panel widths 8, 16 and 32 (the SIMD
 * kernels' at 4, 8 and 16 lanes). Every micro-kernel of a family must give each element the same
 * sum, so the definition is one {@link #elementSum} for all of them.
 */
class GemmKernelParityTest {

    static List<MicroKernel> all(MicroKernels f) {
        return List.of(f.square(), f.tall(), f.narrow(), f.quarter(), f.columns(), f.row());
    }

    @Test
    void tile_everyKernelOfEveryWidth_matchesTheDefinition_neverReadingCUnlessAccumulating() {
        Random r = new Random(25);
        final int mr = PackKernels.MR;
        for (Kernels k : GemmTest.kernels()) {
            int nr = k.microKernels().panelWidth();
            for (MicroKernel t : all(k.microKernels())) {
                int rows = t.rows();
                int cols = t.columns();
                // C's tile from offset 2, rows (or, stored transposed, columns) ldc apart; the
                // arrays end where the tile and the micro-panels it reads end, so a kernel running
                // past them fails.
                int ldc = (t.transposed() ? rows : cols) + 3;
                for (int kc : new int[] {0, 1, 2, 7, 64, 255}) {
                    float[] a = data(r, 3 + (rows + mr - 1) / mr * kc * mr, 1f);
                    float[] b = data(r, 5 + (cols - 1) / nr * kc * nr + Math.max(0, (kc - 1) * nr + (cols - 1) % nr + 1),
                            1f);
                    float[] c = data(r, 2 + (t.transposed() ? (cols - 1) * ldc + rows : (rows - 1) * ldc + cols), 1f);
                    for (boolean accumulate : new boolean[] {true, false}) {
                        float[] expected = c.clone();
                        float[] actual = c.clone();
                        for (int i = 0; i < rows; i++) {
                            for (int j = 0; j < cols; j++) {
                                int ci = 2 + (t.transposed() ? j * ldc + i : i * ldc + j);
                                expected[ci] = Math.fma(elementSum(kc, a, 3, i, b, 5, nr, j), 0.5f,
                                        accumulate ? c[ci] : 0f);
                                if (!accumulate) {
                                    actual[ci] = Float.NaN;        // not to be read
                                }
                            }
                        }
                        t.tile(kc, a, 3, b, 5, 0.5f, accumulate, actual, 2, ldc);
                        assertBits(expected, actual, k.name() + " " + t.shape() + " kc=" + kc
                                + " accumulate=" + accumulate);
                    }
                }
            }
        }
    }

    @Test
    void tiles_everyRegisterTile_storesARowAndAColumnOfTiles_neverReadingC() {
        Random r = new Random(27);
        for (Kernels k : GemmTest.kernels()) {
            int nr = k.microKernels().panelWidth();
            for (MicroKernel t : k.microKernels().tiles()) {
                int height = t.rows();
                for (int kc : new int[] {0, 1, 7, 64, 128}) {
                    for (int tiles : new int[] {0, 1, 3}) {
                        // A row of tiles: A micro-panels fixed, B panels and C tiles side by side. A
                        // column: one B panel, A micro-panels and C tiles below each other. The arrays
                        // end at the last tile's last element, so a kernel running past it fails.
                        for (boolean row : new boolean[] {true, false}) {
                            int ldc = row ? tiles * nr + 3 : nr + 3;
                            int aStep = row ? 0 : kc * height;
                            int bStep = row ? kc * nr : 0;
                            int cStep = row ? nr : height * ldc;
                            int span = Math.max(tiles - 1, 0);
                            float[] a = data(r, 3 + span * aStep + kc * height, 1f);
                            float[] b = data(r, 5 + span * bStep + kc * nr, 1f);
                            float[] expected = data(r, 2 + span * cStep + (height - 1) * ldc + nr, 1f);
                            float[] actual = expected.clone();
                            // Each tile's sums onto a zeroed tile (+0 stands in for C); the kernel's
                            // copy holds NaN there, so a read of C shows.
                            for (int s = 0; s < tiles; s++) {
                                int co = 2 + s * cStep;
                                for (int i = 0; i < height; i++) {
                                    for (int j = 0; j < nr; j++) {
                                        float acc = elementSum(kc, a, 3 + s * aStep, i, b, 5 + s * bStep, nr, j);
                                        expected[co + i * ldc + j] = Math.fma(acc, 0.5f, 0f);
                                        actual[co + i * ldc + j] = Float.NaN;
                                    }
                                }
                            }
                            t.tiles(kc, a, 3, aStep, b, 5, bStep, tiles, 0.5f, actual, 2, cStep, ldc);
                            assertBits(expected, actual, k.name() + " " + t.shape() + " tiles kc=" + kc
                                    + " tiles=" + tiles + " row=" + row);
                        }
                    }
                }
            }
        }
    }

    @Test
    void families_declareTheirShapes_andPackForTheirOwnWidth() {
        for (Kernels k : GemmTest.kernels()) {
            MicroKernels f = k.microKernels();
            int nr = f.panelWidth();
            assertEquals(nr, k.pack().panelWidth(), k.name());
            assertEquals(List.of(PackKernels.MR + "x" + nr, 2 * PackKernels.MR + "x" + nr),
                    f.tiles().stream().map(MicroKernel::shape).toList(), k.name());
            assertEquals("8x" + nr / 2, f.narrow().shape(), k.name());
            assertEquals("8x" + nr / 4, f.quarter().shape(), k.name());
            assertEquals("16x4", f.columns().shape(), k.name());
            assertEquals("1x" + 4 * nr, f.row().shape(), k.name());
            assertEquals(List.of(false, false, false, false, true, false),
                    all(f).stream().map(MicroKernel::transposed).toList(), k.name());
        }
    }

    @Test
    void microKernels_aKernelOfTheWrongShape_isRefusedByRole() {
        MicroKernel square = new ScalarTile(4, 16, 16, false);
        MicroKernel tall = new ScalarTile(8, 16, 16, false);
        MicroKernel narrow = new ScalarTile(8, 8, 16, false);
        MicroKernel quarter = new ScalarTile(8, 4, 16, false);
        MicroKernel columns = new ScalarTile(16, 4, 16, true);
        MicroKernel row = new ScalarTile(1, 64, 16, false);
        new MicroKernels(16, square, tall, narrow, quarter, columns, row);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MicroKernels(16, square, square, narrow, quarter, columns, row));
        assertEquals("micro-kernels: the tall kernel must be 8x16, got 4x16", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MicroKernels(16, square, tall, narrow, quarter, new ScalarTile(16, 4, 16, false), row));
        assertEquals("micro-kernels: the columns kernel must be 16x4 stored transposed, got 16x4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ScalarKernels(12));
        assertEquals("scalar kernels: panel width must be a positive multiple of 8, got 12", e.getMessage());
    }

    @Test
    void packPanels_matchesItsDefinition_everyWidth() {
        Random r = new Random(15);
        for (Kernels k : GemmTest.kernels()) {
            int nr = k.pack().panelWidth();
            for (int[] rp : new int[][] {{0, 0}, {1, 1}, {3, 2}, {17, 5}}) {
                int rows = rp[0];
                int panels = rp[1];
                int ldb = panels * nr + 3;
                float[] b = data(r, 2 + rows * ldb, 1f);
                // Packed from offset 3, to the array's end; what lies before stays.
                float[] expected = data(r, 3 + rows * panels * nr, 1f);
                float[] actual = expected.clone();
                for (int p = 0; p < rows; p++) {
                    for (int q = 0; q < panels; q++) {
                        for (int j = 0; j < nr; j++) {
                            expected[3 + (q * rows + p) * nr + j] = b[2 + p * ldb + q * nr + j];
                        }
                    }
                }
                k.pack().packPanels(b, 2, ldb, rows, panels, actual, 3);
                assertBits(expected, actual, k.name() + " packPanels rows=" + rows + " panels=" + panels);
            }
        }
    }

    @Test
    void packPanelsTransposed_matchesItsDefinition_everyWidth() {
        Random r = new Random(16);
        for (Kernels k : GemmTest.kernels()) {
            int nr = k.pack().panelWidth();
            for (int rows : new int[] {0, 1, 7, 8, 9, 16, 33}) {
                for (int panels : new int[] {0, 1, 3}) {
                    int ldb = rows + 5;
                    float[] b = data(r, 2 + panels * nr * ldb, 1f);
                    float[] expected = data(r, 3 + rows * panels * nr, 1f);
                    float[] actual = expected.clone();
                    for (int q = 0; q < panels; q++) {
                        for (int p = 0; p < rows; p++) {
                            for (int j = 0; j < nr; j++) {
                                expected[3 + (q * rows + p) * nr + j] = b[2 + (q * nr + j) * ldb + p];
                            }
                        }
                    }
                    k.pack().packPanelsTransposed(b, 2, ldb, rows, panels, actual, 3);
                    assertBits(expected, actual, k.name() + " packPanelsTransposed rows=" + rows + " panels=" + panels);
                }
            }
        }
    }

    @Test
    void packRowAndColumnPanels_matchTheirDefinitions_everyWidth() {
        Random r = new Random(17);
        int mr = PackKernels.MR;
        for (Kernels k : GemmTest.kernels()) {
            for (int kc : new int[] {0, 1, 7, 8, 9, 16, 33}) {
                for (int panels : new int[] {0, 1, 2, 3}) {
                    // Each array ends at the last element the panels hold, so a kernel reading past
                    // them fails.
                    int lda = kc + 3;                                  // A stored m×k, rows lda apart
                    float[] a = data(r, panels == 0 ? 1 : 1 + (panels * mr - 1) * lda + kc, 1f);
                    int ldt = panels * mr + 5;                         // A stored k×m, rows ldt apart
                    float[] at = data(r, kc == 0 ? 1 : 1 + (kc - 1) * ldt + panels * mr, 1f);
                    float[] rowsExpected = new float[panels * kc * mr];
                    float[] colsExpected = new float[panels * kc * mr];
                    for (int q = 0; q < panels; q++) {
                        for (int p = 0; p < kc; p++) {
                            for (int i = 0; i < mr; i++) {
                                rowsExpected[(q * kc + p) * mr + i] = a[1 + (q * mr + i) * lda + p];
                                colsExpected[(q * kc + p) * mr + i] = at[1 + p * ldt + q * mr + i];
                            }
                        }
                    }
                    float[] actual = new float[rowsExpected.length];
                    k.pack().packRowPanels(a, 1, lda, kc, panels, actual);
                    assertBits(rowsExpected, actual, k.name() + " packRowPanels kc=" + kc + " panels=" + panels);
                    k.pack().packColumnPanels(at, 1, ldt, kc, panels, actual);
                    assertBits(colsExpected, actual, k.name() + " packColumnPanels kc=" + kc + " panels=" + panels);
                }
            }
        }
    }

    /**
     * The sum every GEMM tile computes for its element (i, j), fused multiply-adds in order of k:
     * row i from the A micro-panels packed from {@code ao} (row i in micro-panel i / MR), column j
     * from the B panels packed {@code nr} wide from {@code bo} (column j in panel j / nr).
     */
    static float elementSum(int kc, float[] a, int ao, int i, float[] b, int bo, int nr, int j) {
        int mr = PackKernels.MR;
        float acc = 0f;
        for (int k = 0; k < kc; k++) {
            acc = Math.fma(b[bo + j / nr * kc * nr + k * nr + j % nr], a[ao + i / mr * kc * mr + k * mr + i % mr],
                    acc);
        }
        return acc;
    }
}
