package dev.nn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.core.kernel.UnaryOp;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TensorTest {

    static Tensor t(float[] v, int... shape) {
        return Tensor.of(v, shape);
    }

    // ---- factories and access -------------------------------------------------------------

    @Test
    void selectRows_copiesTheRowsInOrder_fromViewsToo_andChecksEveryIndexFirst() {
        Tensor x = Tensor.arange(12).reshape(4, 3);
        Tensor picked = x.selectRows(new int[] {2, 0, 2});
        assertEquals(Shape.of(3, 3), picked.shape());
        assertArrayEquals(new float[] {6, 7, 8, 0, 1, 2, 6, 7, 8}, picked.toArray());
        picked.set(-1f, 0, 0);
        assertEquals(6f, x.get(2, 0), "a copy, not a view");
        Tensor view = x.rows(1, 4);                               // rows 1..3 of x, at an offset
        assertArrayEquals(new float[] {9, 10, 11, 3, 4, 5}, view.selectRows(new int[] {2, 0}).toArray());
        assertEquals(Shape.of(0, 3), x.selectRows(new int[0]).shape());
        assertArrayEquals(new float[] {3, 1}, Tensor.of(new float[] {1, 2, 3}, 3).selectRows(new int[] {2, 0})
                .toArray());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> view.selectRows(new int[] {0, 3}));
        assertEquals("selectRows: index 3 at position 1 is out of range for 3 rows (shape [3, 3])", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> x.selectRows(new int[] {-1}));
        assertEquals("selectRows: index -1 at position 0 is out of range for 4 rows (shape [4, 3])", e.getMessage());
        ShapeException s = assertThrows(ShapeException.class, () -> Tensor.scalar(1f).selectRows(new int[] {0}));
        assertEquals("selectRows: a scalar has no rows (shape [])", s.getMessage());
    }

    @Test
    void factories_knownValues() {
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0}, Tensor.zeros(2, 3).toArray());
        assertArrayEquals(new float[] {1, 1}, Tensor.ones(2).toArray());
        assertArrayEquals(new float[] {7, 7, 7}, Tensor.full(7f, 3, 1).toArray());
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).toArray());
        assertEquals(Shape.scalar(), Tensor.scalar(3f).shape());
        assertEquals(3f, Tensor.scalar(3f).item());
        assertEquals(Shape.of(2, 0), Tensor.zeros(2, 0).shape());
    }

    @Test
    void of_copiesItsInput() {
        float[] v = {1, 2};
        Tensor x = Tensor.of(v, 2);
        v[0] = 9;
        assertEquals(1f, x.get(0));
        x.toArray()[1] = 9;
        assertEquals(2f, x.get(1));
    }

    @Test
    void scalarArithmetic_knownAnswers_shapeKept() {
        Tensor x = Tensor.of(new float[] {1, -2, 3, 4.5f, 0, 6}, 2, 3);
        assertEquals(Tensor.of(new float[] {3, 0, 5, 6.5f, 2, 8}, 2, 3), x.add(2f));
        assertEquals(Tensor.of(new float[] {-0.5f, -3.5f, 1.5f, 3, -1.5f, 4.5f}, 2, 3), x.sub(1.5f));
        assertEquals(Tensor.of(new float[] {-2, 4, -6, -9, -0f, -12}, 2, 3), x.mul(-2f));
        assertEquals(Tensor.of(new float[] {0.25f, -0.5f, 0.75f, 1.125f, 0, 1.5f}, 2, 3), x.div(4f));
        assertEquals(Tensor.scalar(7f), Tensor.scalar(5f).add(2f));
        assertEquals(Tensor.of(new float[] {1, -2, 3, 4.5f, 0, 6}, 2, 3), x, "x unchanged");
    }

    @Test
    void of_wrongCount_message() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.of(new float[5], 2, 3));
        assertEquals("of: 5 values cannot fill shape [2, 3] (5 != 6)", e.getMessage());
    }

    @Test
    void randAndRandn_sameGeneratorSeed_sameTensor() {
        assertEquals(Tensor.rand(new Generator(1), 3, 4), Tensor.rand(new Generator(1), 3, 4));
        assertEquals(Tensor.randn(new Generator(2), 5), Tensor.randn(new Generator(2), 5));
        assertNotEquals(Tensor.randn(new Generator(2), 5), Tensor.randn(new Generator(3), 5));
    }

    @Test
    void getSetItem_andVersionCounts() {
        Tensor x = Tensor.zeros(2, 3);
        assertEquals(0, x.version());
        x.set(5f, 1, 2);
        assertEquals(5f, x.get(1, 2));
        assertEquals(1, x.version());
        ShapeException e = assertThrows(ShapeException.class, () -> x.item());
        assertEquals("item: tensor of shape [2, 3] has 6 elements, expected 1", e.getMessage());
        IndexOutOfBoundsException o = assertThrows(IndexOutOfBoundsException.class, () -> x.set(1f, 2, 0));
        assertEquals("set: index [2, 0] is out of bounds for shape [2, 3] (2 not in [0, 2) at dimension 0)",
                o.getMessage());
        assertEquals(1, x.version());
        ShapeException r = assertThrows(ShapeException.class, () -> x.get(1));
        assertEquals("get: 1 indices for shape [2, 3] (expected 2)", r.getMessage());
    }

    @Test
    void reshape_isAViewSharingStorageAndVersion() {
        Tensor x = Tensor.arange(6);
        Tensor y = x.reshape(2, -1);
        assertEquals(Shape.of(2, 3), y.shape());
        y.set(42f, 1, 0);
        assertEquals(42f, x.get(3));
        assertEquals(1, x.version());
        assertEquals(Shape.scalar(), Tensor.ones(1).reshape().shape());
    }

    @Test
    void reshape_badShapes_messages() {
        Tensor x = Tensor.zeros(2, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> x.reshape(4, 2));
        assertEquals("reshape: cannot reshape [2, 3] to [4, 2] (6 elements != 8)", e.getMessage());
        e = assertThrows(ShapeException.class, () -> x.reshape(-1, -1));
        assertEquals("reshape: cannot reshape [2, 3] to [-1, -1] (only one dimension may be -1, and none below it)",
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> x.reshape(4, -1));
        assertEquals("reshape: cannot reshape [2, 3] to [4, -1] (6 elements != 4)", e.getMessage());
    }

    @Test
    void transpose_matchesIndexSwap() {
        Random r = new Random(1);
        for (int[] mn : new int[][] {{1, 1}, {3, 5}, {37, 65}, {64, 1}}) {
            Tensor x = Tensor.rand(new Generator(r.nextLong()), mn[0], mn[1]);
            Tensor y = x.transpose();
            assertEquals(Shape.of(mn[1], mn[0]), y.shape());
            for (int i = 0; i < mn[0]; i++) {
                for (int j = 0; j < mn[1]; j++) {
                    assertEquals(x.get(i, j), y.get(j, i));
                }
            }
        }
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3, 4).transpose());
        assertEquals("transpose: expects a 2-D tensor, got shape [2, 3, 4]", e.getMessage());
    }

    @Test
    void rows_viewOfABatch() {
        Tensor x = Tensor.arange(12).reshape(4, 3);
        Tensor batch = x.rows(1, 3);
        assertEquals(Shape.of(2, 3), batch.shape());
        assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, batch.toArray());
        assertArrayEquals(new float[] {12, 12, 21, 21}, batch.matmul(Tensor.ones(3, 2)).toArray());
        assertEquals(Tensor.of(new float[] {15, 19, 23}, 3), batch.add(batch.rows(0, 1)).sum(0, false));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.rows(2, 5));
        assertEquals("rows: range [2, 5) is out of bounds for 4 rows (shape [4, 3])", e.getMessage());
    }

    // ---- elementwise ----------------------------------------------------------------------

    static void assertUnary(Function<Tensor, Tensor> op, DoubleUnaryOperator ref, double tol, float... xs) {
        float[] y = op.apply(Tensor.of(xs, xs.length)).toArray();
        for (int i = 0; i < xs.length; i++) {
            double want = ref.applyAsDouble(xs[i]);
            assertEquals(want, y[i], tol * Math.max(1, Math.abs(want)), "x = " + xs[i]);
        }
    }

    @Test
    void unary_matchDoubleReferences() {
        float[] xs = {-7.5f, -2f, -0.3f, 0f, 0.4f, 1f, 3.25f, 9f};
        double tol = 1e-6;
        assertUnary(Tensor::neg, x -> -x, 0, xs);
        assertUnary(Tensor::abs, Math::abs, 0, xs);
        assertUnary(Tensor::square, x -> x * x, tol, xs);
        assertUnary(Tensor::exp, Math::exp, tol, xs);
        assertUnary(Tensor::tanh, Math::tanh, tol, xs);
        assertUnary(Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), tol, xs);
        assertUnary(Tensor::relu, x -> Math.max(x, 0), 0, xs);
        assertUnary(x -> x.leakyRelu(0.01f), x -> x > 0 ? x : 0.01 * x, tol, xs);
        assertUnary(x -> x.elu(1.5f), x -> x > 0 ? x : 1.5 * Math.expm1(x), 1e-5, xs);
        assertUnary(Tensor::selu, x -> 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * Math.expm1(x)), 1e-5,
                xs);
        assertUnary(Tensor::silu, x -> x / (1 + Math.exp(-x)), tol, xs);
        assertUnary(Tensor::softplus, x -> Math.log1p(Math.exp(x)), tol, xs);
        assertUnary(Tensor::softsign, x -> x / (1 + Math.abs(x)), tol, xs);
        assertUnary(Tensor::mish, x -> x * Math.tanh(Math.log1p(Math.exp(x))), tol, xs);
        assertUnary(Tensor::geluTanh,
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), tol, xs);
        float[] pos = {0.001f, 0.5f, 1f, 2f, 1e4f};
        assertUnary(Tensor::log, Math::log, tol, pos);
        assertUnary(Tensor::sqrt, Math::sqrt, tol, pos);
        assertUnary(Tensor::reciprocal, x -> 1 / x, tol, pos);
        assertUnary(x -> x.pow(3f), x -> x * x * x, tol, xs);
        assertUnary(x -> x.pow(0.5f), Math::sqrt, tol, pos);
    }

    @Test
    void elementwise_largeTensorsSplitAcrossThreads_matchElementByElement() {
        int n = TensorOps.PARALLEL_ELEMENTS + TensorOps.CHUNK / 2 + 3;   // a partial last chunk
        Tensor x = Tensor.randn(new Generator(12), n);
        Tensor y = Tensor.randn(new Generator(13), n);
        float[] e = x.exp().toArray();
        float[] s = x.add(y).toArray();
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(dev.nn.core.kernel.ScalarMath.exp(x.get(i))), Float.floatToIntBits(e[i]));
            assertEquals(x.get(i) + y.get(i), s[i]);
        }
    }

    @Test
    void chunks_asManyForEachThread_alignedAndAtMostChunk() {
        // The MNIST MLP's first weight on two threads: eight chunks of 64 rows of 784.
        assertEquals(50_176, TensorOps.chunkSize(401_408, 2));
        assertEquals(TensorOps.CHUNK, TensorOps.chunkSize(131_072, 2));
        for (int n : new int[] {TensorOps.UPDATE_PARALLEL_ELEMENTS, 401_408, 1_000_003, TensorOps.PARALLEL_ELEMENTS + 3}) {
            for (int threads = 1; threads <= 5; threads++) {
                int size = TensorOps.chunkSize(n, threads);
                int chunks = (n + size - 1) / size;
                String at = n + " floats, " + threads + " threads: chunks of " + size;
                assertTrue(size <= TensorOps.CHUNK && size % TensorOps.CHUNK_ALIGN == 0, at);
                assertEquals(0, chunks % threads, at);
            }
        }
    }

    @Test
    void unary_leavesInputUntouched() {
        Tensor x = Tensor.of(new float[] {-1, 2}, 2);
        x.relu();
        x.exp();
        assertArrayEquals(new float[] {-1, 2}, x.toArray());
        assertEquals(0, x.version());
    }

    /** Naive broadcasting reference: index the output, map back to each input. */
    static float[] broadcastReference(Tensor a, Tensor b, DoubleBinaryOperator f) {
        Shape out = Shape.broadcast("ref", a.shape(), b.shape());
        float[] y = new float[out.size()];
        int[] idx = new int[out.rank()];
        for (int flat = 0; flat < y.length; flat++) {
            int rem = flat;
            for (int d = out.rank() - 1; d >= 0; d--) {
                idx[d] = rem % out.dim(d);
                rem /= out.dim(d);
            }
            y[flat] = (float) f.applyAsDouble(a.get(project(idx, a.shape())), b.get(project(idx, b.shape())));
        }
        return y;
    }

    static int[] project(int[] idx, Shape s) {
        int[] p = new int[s.rank()];
        int lead = idx.length - s.rank();
        for (int d = 0; d < s.rank(); d++) {
            p[d] = s.dim(d) == 1 ? 0 : idx[lead + d];
        }
        return p;
    }

    @Test
    void binary_broadcastingOverManyShapePairs_matchesNaiveReference() {
        int[][][] pairs = {
            {{2, 3}, {3}}, {{2, 3}, {2, 1}}, {{2, 1}, {1, 3}}, {{4, 1, 3}, {5, 1}}, {{1}, {3, 17}}, {{}, {2, 2}},
            {{3, 1, 1}, {1, 2, 19}}, {{2, 3, 4}, {2, 3, 4}}, {{1, 1}, {1, 1}}, {{2, 1, 4, 1}, {3, 1, 5}},
            {{128, 33}, {33}}, {{33}, {128, 33}}, {{0, 3}, {3}},
        };
        Generator g = new Generator(9);
        for (int[][] p : pairs) {
            Tensor a = Tensor.randn(g, p[0]);
            Tensor b = Tensor.randn(g, p[1]).add(Tensor.scalar(3f));
            String what = Shape.of(p[0]) + " op " + Shape.of(p[1]);
            assertArrayEquals(broadcastReference(a, b, (x, y) -> (float) x + (float) y), a.add(b).toArray(), what);
            assertArrayEquals(broadcastReference(a, b, (x, y) -> (float) x - (float) y), a.sub(b).toArray(), what);
            assertArrayEquals(broadcastReference(a, b, (x, y) -> (float) x * (float) y), a.mul(b).toArray(), what);
            assertArrayEquals(broadcastReference(a, b, (x, y) -> (float) x / (float) y), a.div(b).toArray(), what);
            assertArrayEquals(broadcastReference(a, b, Math::max), a.max(b).toArray(), what);
            assertArrayEquals(broadcastReference(a, b, Math::min), a.min(b).toArray(), what);
            assertArrayEquals(broadcastReference(b, a, (x, y) -> (float) x - (float) y), b.sub(a).toArray(), what);
            assertEquals(Shape.broadcast("add", a.shape(), b.shape()), a.add(b).shape());
        }
    }

    @Test
    void comparisons_oneWhereTrue() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, Float.NaN}, 4);
        Tensor b = Tensor.scalar(2f);
        assertArrayEquals(new float[] {0, 0, 1, 0}, a.gt(b).toArray());
        assertArrayEquals(new float[] {0, 1, 1, 0}, a.ge(b).toArray());
        assertArrayEquals(new float[] {1, 0, 0, 0}, a.lt(b).toArray());
        assertArrayEquals(new float[] {1, 1, 0, 0}, a.le(b).toArray());
        assertArrayEquals(new float[] {0, 1, 0, 0}, a.eq(b).toArray());
        assertArrayEquals(new float[] {1, 0, 1, 1}, a.ne(b).toArray());
    }

    @Test
    void binary_mismatch_messageAndInputsUntouched() {
        Tensor a = Tensor.ones(64, 10);
        Tensor b = Tensor.ones(3, 1);
        ShapeException e = assertThrows(ShapeException.class, () -> a.add(b));
        assertEquals("add: shapes [64, 10] and [3, 1] cannot be broadcast (64 != 3 at dimension 0 of the result)",
                e.getMessage());
        assertEquals(Tensor.ones(64, 10), a);
        assertEquals(Tensor.ones(3, 1), b);
    }

    @Test
    void addInPlace_accumulatesScaledAndAdvancesVersion() {
        Tensor y = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor view = y.reshape(1, 3);
        y.addInPlace(Tensor.of(new float[] {10, 20, 30}, 3), 0.5f);
        assertArrayEquals(new float[] {6, 12, 18}, view.toArray());
        assertEquals(1, view.version());
        y.addInPlace(y, 1f);
        assertArrayEquals(new float[] {12, 24, 36}, y.toArray());
    }

    @Test
    void addInPlace_overlappingShiftedSource_readsTheOldValues() {
        Tensor base = Tensor.arange(4);
        Tensor head = base.rows(0, 3);
        Tensor tail = base.rows(1, 4);
        tail.addInPlace(head, 1f);
        assertArrayEquals(new float[] {0, 1, 3, 5}, base.toArray());
    }

    @Test
    void addInPlace_shapeMismatch_messageAndUnchanged() {
        Tensor y = Tensor.ones(2, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> y.addInPlace(Tensor.ones(3), 1f));
        assertEquals("addInPlace: shapes [2, 3] and [3] differ (in-place addition does not broadcast)",
                e.getMessage());
        assertEquals(Tensor.ones(2, 3), y);
        assertEquals(0, y.version());
    }

    @Test
    void scaleInPlace_multipliesAViewInPlace() {
        Tensor base = Tensor.arange(6).reshape(3, 2);
        base.rows(1, 3).scaleInPlace(-0.5f);
        assertArrayEquals(new float[] {0, 1, -1, -1.5f, -2, -2.5f}, base.toArray());
        assertEquals(1, base.version());
    }

    @Test
    void fillInPlace_fillsOnlyTheViewAndAdvancesTheVersion() {
        Tensor base = Tensor.arange(6).reshape(3, 2);
        base.rows(1, 2).fillInPlace(Float.NaN);
        base.rows(2, 3).fillInPlace(-0f);
        assertArrayEquals(new float[] {0, 1, Float.NaN, Float.NaN, -0f, -0f}, base.toArray());
        assertEquals(2, base.version());
    }

    @Test
    void copyInPlace_copiesIntoAViewAndAdvancesTheVersion() {
        Tensor base = Tensor.zeros(3, 2);
        base.rows(1, 2).copyInPlace(Tensor.of(new float[] {7, 8}, 1, 2));
        assertArrayEquals(new float[] {0, 0, 7, 8, 0, 0}, base.toArray());
        assertEquals(1, base.version());
        ShapeException e = assertThrows(ShapeException.class, () -> base.copyInPlace(Tensor.ones(2, 3)));
        assertEquals("copyInPlace: shapes [3, 2] and [2, 3] differ", e.getMessage());
        assertEquals(1, base.version());
    }

    /**
     * Every unary op in place gives the bits of its out-of-place form: lengths around the vector
     * widths, past the 1,024-float blocks that GELU, SOFTPLUS and MISH pass over twice, and past
     * the pool's chunking (on three threads), with zeros, infinities and NaN among the inputs.
     */
    @Test
    void applyInPlace_sameBitsAsTheOutOfPlaceOp_everyOp() {
        Random r = new Random(12);
        int[] lengths = {0, 1, 15, 33, 1023, 1025, 4097, (1 << 20) + 3};
        try (Backend b = Backend.builder().threads(3).build(); var scope = b.use()) {
            for (int n : lengths) {
                float[] xv = new float[n];
                for (int i = 0; i < n; i++) {
                    xv[i] = (float) r.nextGaussian() * 3f;
                }
                float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 80f, -80f};
                for (int i = 0; i < Math.min(n, specials.length); i++) {
                    xv[(int) ((long) i * n / specials.length)] = specials[i];
                }
                for (UnaryOp op : UnaryOp.values()) {
                    float p = op == UnaryOp.POW ? 3f : op == UnaryOp.LEAKY_RELU ? 0.1f : 1.5f;
                    Tensor x = Tensor.of(xv.clone(), n);
                    float[] want = TensorOps.unary(op, p, x).toArray();
                    x.applyInPlace(op, p);
                    assertArrayEquals(want, x.toArray(), op + " at " + n);
                    assertEquals(1, x.version());
                }
            }
        }
    }

    @Test
    void applyInPlace_changesOnlyTheView_andRejectsANullOp() {
        Tensor base = Tensor.of(new float[] {-1, 2, -3, 4, -5, 6}, 3, 2);
        base.rows(1, 2).applyInPlace(UnaryOp.RELU, 0f);
        assertArrayEquals(new float[] {-1, 2, 0, 4, -5, 6}, base.toArray());
        assertEquals(1, base.version());
        NullPointerException e = assertThrows(NullPointerException.class, () -> base.applyInPlace(null, 0f));
        assertEquals("applyInPlace: op is null", e.getMessage());
        assertArrayEquals(new float[] {-1, 2, 0, 4, -5, 6}, base.toArray());
        assertEquals(1, base.version());
    }

    @Test
    void map_appliesTheScalarFunctionEverywhere() {
        Tensor x = Tensor.arange(37).reshape(37);
        Tensor y = x.map(v -> 2f * v + 1f, null);
        for (int i = 0; i < 37; i++) {
            assertEquals(2f * i + 1f, y.get(i));
        }
        assertEquals(x.shape(), y.shape());
    }

    /**
     * A user's function with no vector form, which the SIMD kernels may run as its formula: the
     * same bits on one thread and on three (chunks of the pool), forward and backward, over a size
     * with a tail, and within a few ulp of the lambda itself.
     */
    @Test
    void elementwiseOfScalarLambdas_sameBitsOnAnyThreadCount() {
        Random r = new Random(9);
        int n = 3 * (1 << 16) + 7;
        float[] xv = new float[n];
        float[] gv = new float[n];
        for (int i = 0; i < n; i++) {
            xv[i] = (float) r.nextGaussian() * 4f;
            gv[i] = (float) r.nextGaussian();
        }
        Tensor x = Tensor.of(xv, n);
        Tensor g = Tensor.of(gv, n);
        dev.nn.core.function.FloatFunction f = v -> v / (1f + (float) Math.exp(-v));
        Elementwise swish = Elementwise.of(f, v -> {
            float s = 1f / (1f + (float) Math.exp(-v));
            return s * (1f + v * (1f - s));
        }, null, null);
        Tensor[] one;
        Tensor[] three;
        try (Backend b = Backend.builder().threads(1).build(); var scope = b.use()) {
            one = new Tensor[] {swish.apply(x), swish.backward(g, x, null)};
        }
        try (Backend b = Backend.builder().threads(3).build(); var scope = b.use()) {
            three = new Tensor[] {swish.apply(x), swish.backward(g, x, null)};
        }
        assertArrayEquals(one[0].toArray(), three[0].toArray());
        assertArrayEquals(one[1].toArray(), three[1].toArray());
        for (int i = 0; i < n; i++) {
            float want = f.apply(xv[i]);
            assertEquals(want, one[0].get(i), 16 * Math.ulp(want) + 1e-6f);
        }
    }

    /**
     * Each fused activation backward (and exact GELU's forward) gives the bits of the tensor operations it replaced (on
     * whichever kernels run; KernelParityTest holds the twins together), over a size that has a
     * tail and spans chunks of the pool.
     */
    @Test
    void activationBackward_sameBitsAsTheComposedGradient() {
        Random r = new Random(8);
        int n = (1 << 20) + 5;
        float[] gv = new float[n];
        float[] xv = new float[n];
        for (int i = 0; i < n; i++) {
            gv[i] = (float) r.nextGaussian();
            xv[i] = (float) r.nextGaussian() * 4f;
        }
        Tensor g = Tensor.of(gv, n);
        Tensor x = Tensor.of(xv, n);
        Tensor one = Tensor.scalar(1f);
        Tensor zero = Tensor.scalar(0f);
        Tensor slope = Tensor.scalar(0.1f);
        Tensor half = Tensor.scalar(0.5f);
        Tensor invSqrt2 = Tensor.scalar((float) (1 / Math.sqrt(2)));
        Tensor invSqrt2Pi = Tensor.scalar((float) (1 / Math.sqrt(2 * Math.PI)));
        Tensor sx = x.sigmoid();
        Tensor[][] cases = {
            {g.activationBackward(UnaryOp.RELU, 0f, x.relu()), g.mul(x.relu().gt(zero))},
            {g.activationBackward(UnaryOp.LEAKY_RELU, 0.1f, x),
                g.mul(x.gt(zero).mul(Tensor.scalar(1f - 0.1f)).add(slope))},
            {g.activationBackward(UnaryOp.SIGMOID, 0f, sx), g.mul(sx).mul(one.sub(sx))},
            {g.activationBackward(UnaryOp.TANH, 0f, x.tanh()), g.mul(one.sub(x.tanh().square()))},
            {g.activationBackward(UnaryOp.SILU, 0f, x), g.mul(sx.mul(one.add(x.mul(one.sub(sx)))))},
            {g.activationBackward(UnaryOp.SOFTPLUS, 0f, x), g.mul(sx)},
            {g.activationBackward(UnaryOp.SOFTSIGN, 0f, x), g.div(one.add(x.abs()).square())},
            {x.gelu(), x.mul(one.add(x.mul(invSqrt2).erf()).mul(half))},
            {g.activationBackward(UnaryOp.GELU, 0f, x), g.mul(one.add(x.mul(invSqrt2).erf()).mul(half)
                .add(x.mul(x.square().mul(half).neg().exp().mul(invSqrt2Pi))))},
        };
        for (Tensor[] c : cases) {
            assertArrayEquals(c[1].toArray(), c[0].toArray());
        }
    }

    @Test
    void activationBackward_badArguments_messages() {
        Tensor g = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.activationBackward(UnaryOp.EXP, 0f, g));
        assertEquals("exp backward: EXP has no fused backward (compose it of tensor operations)", e.getMessage());
        ShapeException s = assertThrows(ShapeException.class,
                () -> g.activationBackward(UnaryOp.RELU, 0f, Tensor.zeros(3, 2)));
        assertEquals("relu backward: gradient [2, 3] and saved tensor [3, 2] differ", s.getMessage());
    }

    @Test
    void sharesMemory_viewsYesCopiesNo() {
        Tensor x = Tensor.zeros(4, 2);
        assertTrue(x.sharesMemory(x.rows(1, 2)));
        assertTrue(x.reshape(8).sharesMemory(x.rows(3, 4)));
        assertTrue(!x.sharesMemory(x.copy()));
    }

    // ---- reductions ------------------------------------------------------------------------

    @Test
    void reductions_knownAnswers() {
        Tensor x = Tensor.of(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertEquals(21f, x.sum().item());
        assertEquals(3.5f, x.mean().item());
        assertEquals(6f, x.max().item());
        assertEquals(5, x.argmax());
        assertEquals(Tensor.of(new float[] {5, 7, 9}, 3), x.sum(0, false));
        assertEquals(Tensor.of(new float[] {9, 12}, 2, 1), x.sum(1, true));
        assertEquals(Tensor.of(new float[] {9, 12}, 2), x.sum(-1, false));
        assertEquals(Tensor.of(new float[] {2.5f, 3.5f, 4.5f}, 1, 3), x.mean(0, true));
        assertEquals(Tensor.of(new float[] {4, 5, 6}, 3), x.max(0, false));
        assertEquals(Tensor.of(new float[] {5, 6}, 2), x.max(1, false));
        assertEquals(Tensor.of(new float[] {1, 0, 1}, 3), x.argmax(0, false));
        assertEquals(Tensor.of(new float[] {1, 2}, 2, 1), x.argmax(1, true));
    }

    @Test
    void reductions_threeDimensionsEveryAxis_matchLoops() {
        Tensor x = Tensor.randn(new Generator(4), 3, 5, 7);
        for (int axis = 0; axis < 3; axis++) {
            Tensor s = x.sum(axis, true);
            Tensor m = x.max(axis, true);
            for (int i = 0; i < s.size(); i++) {
                int[] idx = unflatten(i, s.shape());
                double sum = 0;
                float max = Float.NEGATIVE_INFINITY;
                for (int l = 0; l < x.shape().dim(axis); l++) {
                    idx[axis] = l;
                    sum += x.get(idx);
                    max = Math.max(max, x.get(idx));
                }
                idx[axis] = 0;
                assertEquals(sum, s.get(idx), 1e-5, "axis " + axis);
                assertEquals(max, m.get(idx), "axis " + axis);
            }
        }
    }

    static int[] unflatten(int flat, Shape s) {
        int[] idx = new int[s.rank()];
        for (int d = s.rank() - 1; d >= 0; d--) {
            idx[d] = flat % s.dim(d);
            flat /= s.dim(d);
        }
        return idx;
    }

    @Test
    void argmax_nanCountsAsLargestAndTiesTakeFirst() {
        assertEquals(1, Tensor.of(new float[] {1, Float.NaN, 5}, 3).argmax());
        assertEquals(0, Tensor.of(new float[] {2, 2, 1}, 3).argmax());
    }

    @Test
    void reductions_emptyInputs_documentedResults() {
        assertEquals(0f, Tensor.zeros(0).sum().item());
        assertTrue(Float.isNaN(Tensor.zeros(0).mean().item()));
        assertEquals(Tensor.zeros(3), Tensor.zeros(0, 3).sum(0, false));
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(0).max());
        assertEquals("max: cannot reduce an empty tensor (shape [0])", e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 0).argmax(1, false));
        assertEquals("argmax: cannot reduce over axis 1 of size 0 (shape [2, 0])", e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).sum(2, false));
        assertEquals("sum: axis 2 is out of range for shape [2, 3] (rank 2)", e.getMessage());
    }

    // ---- softmax ---------------------------------------------------------------------------

    @Test
    void softmax_knownAnswerAndRowsSumToOne() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 0, 0, 0}, 2, 3);
        Tensor p = x.softmax();
        double e1 = Math.exp(1);
        double e2 = Math.exp(2);
        double e3 = Math.exp(3);
        double z = e1 + e2 + e3;
        assertArrayEquals(new float[] {(float) (e1 / z), (float) (e2 / z), (float) (e3 / z), 1 / 3f, 1 / 3f, 1 / 3f},
                p.toArray(), 1e-7f);
        Tensor lp = x.logSoftmax();
        assertArrayEquals(new float[] {(float) (1 - Math.log(z)), (float) (2 - Math.log(z)), (float) (3 - Math.log(z)),
            (float) -Math.log(3), (float) -Math.log(3), (float) -Math.log(3)}, lp.toArray(), 1e-6f);
    }

    @Test
    void softmax_hugeLogits_finiteAndExact() {
        Tensor x = Tensor.of(new float[] {1e4f, -1e4f, 0f, 1e4f}, 1, 4);
        assertArrayEquals(new float[] {0.5f, 0f, 0f, 0.5f}, x.softmax().toArray());
        float[] lp = x.logSoftmax().toArray();
        assertEquals(-Math.log(2), lp[0], 1e-6);
        assertEquals(-2e4 - Math.log(2), lp[1], 2e4 * 1e-6);
        for (float v : lp) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void softmax_wideRows_sumToOne() {
        Tensor x = Tensor.randn(new Generator(6), 7, 1001).mul(Tensor.scalar(5f));
        Tensor rowSums = x.softmax().sum(1, false);
        for (int i = 0; i < 7; i++) {
            assertEquals(1f, rowSums.get(i), 1e-5f);
        }
    }

    // ---- matmul ----------------------------------------------------------------------------

    @Test
    void matmul_knownAnswersAndVectorForms() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {5, 6, 7, 8}, 2, 2);
        assertEquals(Tensor.of(new float[] {19, 22, 43, 50}, 2, 2), a.matmul(b));
        Tensor v = Tensor.of(new float[] {1, 1}, 2);
        assertEquals(Tensor.of(new float[] {3, 7}, 2), a.matmul(v));
        assertEquals(Tensor.of(new float[] {4, 6}, 2), v.matmul(a));
        assertEquals(Tensor.scalar(2f), v.matmul(v));
        assertEquals(Tensor.of(new float[] {26, 30, 38, 44}, 2, 2), Tensor.matmul(a, true, b, false));
        assertEquals(Tensor.of(new float[] {17, 23, 39, 53}, 2, 2), Tensor.matmul(a, false, b, true));
        assertEquals(Tensor.of(new float[] {23, 31, 34, 46}, 2, 2), Tensor.matmul(a, true, b, true));
    }

    @Test
    void matmul_mismatch_houseMessage() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(64, 1000).matmul(Tensor.zeros(100, 10)));
        assertEquals("matmul: shapes [64, 1000] and [100, 10] cannot be multiplied (1000 != 100)", e.getMessage());
        e = assertThrows(ShapeException.class,
                () -> Tensor.matmul(Tensor.zeros(64, 1000), true, Tensor.zeros(100, 10), false));
        assertEquals("matmul: shapes [64, 1000]ᵀ and [100, 10] cannot be multiplied (64 != 100)", e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 2, 2).matmul(Tensor.zeros(2, 2)));
        assertEquals("matmul: expects 1-D or 2-D tensors, got shapes [2, 2, 2] and [2, 2]", e.getMessage());
    }

    @Test
    void addmmInPlace_accumulatesAndRejectsWithoutChange() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor c = Tensor.ones(2, 2);
        c.addmmInPlace(1f, a, true, a, false, 0.5f);   // c + 0.5·aᵀa
        assertEquals(Tensor.of(new float[] {6, 8, 8, 11}, 2, 2), c);
        assertEquals(1, c.version());
        ShapeException e = assertThrows(ShapeException.class,
                () -> c.addmmInPlace(1f, a, false, Tensor.ones(2, 3), false, 1f));
        assertEquals("addmm: result of shape [2, 3] cannot be added to shape [2, 2]", e.getMessage());
        assertEquals(Tensor.of(new float[] {6, 8, 8, 11}, 2, 2), c);
        assertEquals(1, c.version());
    }

    /** The linear forward as it was before packed weights: the bias copied into rows, then GEMM onto it. */
    static Tensor linearByAddmm(Tensor x, Tensor w, Tensor b) {
        int n = x.shape().dim(0);
        Tensor y = Tensor.zeros(n, w.shape().dim(0));
        for (int i = 0; i < n && b != null; i++) {
            y.rows(i, i + 1).copyInPlace(b.reshape(1, b.size()));
        }
        y.addmmInPlace(b == null ? 0f : 1f, x, false, w, true, 1f);
        return y;
    }

    /** Three calls: the first packs w per call, the second keeps its packed copy, the third reuses it. */
    static void assertLinear(Tensor x, Tensor w, Tensor b) {
        float[] want = linearByAddmm(x, w, b).toArray();
        for (int call = 0; call < 3; call++) {
            assertArrayEquals(want, Tensor.linear(x, w, b).toArray(), "call " + call + ", " + x.shape());
        }
    }

    @Test
    void linear_sameBitsAsGemmOntoTheBias_reusingThePackedWeight_untilItIsWritten() {
        Generator g = new Generator(21);
        Tensor w = Tensor.randn(g, 70, 300);
        Tensor b = Tensor.randn(g, 70);
        for (int n : new int[] {1, 3, 4, 17, 64}) {
            Tensor x = Tensor.randn(g, n, 300);
            assertLinear(x, w, b);
            assertLinear(x, w, null);
        }
        // Every in-place write advances w's version, and the next call packs the new values.
        Tensor x = Tensor.randn(g, 5, 300);
        Tensor before = Tensor.linear(x, w, b);
        w.addInPlace(Tensor.ones(70, 300), 0.5f);
        assertLinear(x, w, b);
        w.copyInPlace(Tensor.randn(g, 70, 300));
        assertLinear(x, w, b);
        w.set(1.5f, 69, 299);
        assertLinear(x, w, b);
        Tensor m = Tensor.zeros(70, 300);
        Updates.adam(w, Tensor.ones(70, 300), m, Tensor.zeros(70, 300), null, 0.9f, 0.999f, 0f, 0.1f, 1f, 1e-8f);
        assertLinear(x, w, b);
        w.rows(3, 4).scaleInPlace(2f);                        // through a view: the version is shared
        assertLinear(x, w, b);
        assertNotEquals(before.get(0, 0), Tensor.linear(x, w, b).get(0, 0));
    }

    @Test
    void linear_keepsAPackedCopyFromTheSecondCallAtOneVersion_notForAWeightWrittenBetweenCalls() {
        Generator g = new Generator(23);
        Tensor w = Tensor.randn(g, 40, 50);
        Tensor x = Tensor.randn(g, 2, 50);
        Tensor.linear(x, w, null);
        assertNull(w.packedWeight.packed);                  // used once: packed per call, nothing kept
        Tensor.linear(x, w, null);
        TensorOps.PackedWeight kept = w.packedWeight;
        assertNotNull(kept.packed);
        Tensor.linear(x, w, null);
        assertSame(kept, w.packedWeight);                   // reused, not packed again
        for (int step = 0; step < 3; step++) {              // training: a write between uses
            w.addInPlace(Tensor.ones(40, 50), 0.1f);
            Tensor.linear(x, w, null);
            assertNull(w.packedWeight.packed);
        }
    }

    @Test
    void linear_manyThreadsOneWeight_sameResultsAsOneThread() throws Exception {
        Generator g = new Generator(22);
        Tensor w = Tensor.randn(g, 256, 512);
        Tensor b = Tensor.randn(g, 256);
        Tensor[] xs = new Tensor[16];
        float[][] want = new float[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Tensor.randn(g, 1 + i % 5, 512);
            want[i] = linearByAddmm(xs[i], w, b).toArray();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 5; round++) {
                w.addInPlace(Tensor.ones(256, 512), 0.25f);    // each round starts with a stale packed copy
                for (int i = 0; i < xs.length; i++) {
                    want[i] = linearByAddmm(xs[i], w, b).toArray();
                }
                java.util.List<java.util.concurrent.Future<float[]>> got = new java.util.ArrayList<>();
                for (Tensor x : xs) {
                    got.add(pool.submit(() -> Tensor.linear(x, w, b).toArray()));
                }
                for (int i = 0; i < xs.length; i++) {
                    assertArrayEquals(want[i], got.get(i).get(), "round " + round + " request " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void linear_shapesThatDoNotFit_houseMessages() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Tensor.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null));
        assertEquals("linear: input [2, 3] and weight [4, 5] do not fit (expected input [n, in] and weight [out, in])",
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.linear(Tensor.zeros(2, 5), Tensor.zeros(4, 5),
                Tensor.zeros(5)));
        assertEquals("linear: bias [5] does not fit weight [4, 5] (expected [4])", e.getMessage());
    }

    @Test
    void matmul_trainingShape_matchesDoubleReference() {
        Generator g = new Generator(11);
        Tensor x = Tensor.randn(g, 64, 1000);
        Tensor w = Tensor.randn(g, 1000, 100);
        Tensor y = x.matmul(w);
        for (int i = 0; i < 64; i += 7) {
            for (int j = 0; j < 100; j += 13) {
                double s = 0;
                for (int k = 0; k < 1000; k++) {
                    s += (double) x.get(i, k) * w.get(k, j);
                }
                assertEquals(s, y.get(i, j), 1e-4 * 1000);
            }
        }
    }

    // ---- printing --------------------------------------------------------------------------

    @Test
    void toString_printsLikeNumpy() {
        assertEquals("[[1., 2.],\n [3., 4.]]", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("[ 0.5 , -1.25,  3.  ]", Tensor.of(new float[] {0.5f, -1.25f, 3f}, 3).toString());
        assertEquals("[  1., 100.]", Tensor.of(new float[] {1, 100}, 2).toString());
        assertEquals("2.5", Tensor.scalar(2.5f).toString());
        assertEquals("[nan, inf,  1.]", Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1}, 3).toString());
        assertEquals("[[[0., 1.],\n  [2., 3.]],\n\n [[4., 5.],\n  [6., 7.]]]", Tensor.arange(8).reshape(2, 2, 2).toString());
        assertEquals("[1.0000e-05, 1.0000e+00]", Tensor.of(new float[] {1e-5f, 1f}, 2).toString());
        assertEquals("[]", Tensor.zeros(0).toString());
    }

    @Test
    void toString_bigTensor_elidesTheMiddle() {
        String s = Tensor.arange(2000).toString();
        assertEquals("[   0.,    1.,    2., ..., 1997., 1998., 1999.]", s);
        String m = Tensor.arange(10000).reshape(100, 100).toString();
        assertTrue(m.startsWith("[[   0.,    1.,    2., ...,   97.,   98.,   99.],\n [ 100.,"), m);
        assertTrue(m.contains(" ...,\n [9700.,"), m);
    }
}
