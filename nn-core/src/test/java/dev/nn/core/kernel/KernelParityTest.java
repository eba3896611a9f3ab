package dev.nn.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nn.core.Generator;
import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorBiFunction;
import dev.nn.core.function.VectorFunction;
import dev.nn.core.function.VectorMath;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIMD elementwise kernels and fused updates against their scalar twins: bit-exact for every
 * operation, every length from 0 to 3·16+1 (so every tail for 4, 8 and 16 lanes), 1023 and
 * 4097, at offsets 0, 1 and 63.
 * Skipped when the Vector API module is absent (the scalar-fallback CI run).
 */
class KernelParityTest {

    static final int[] OFFSETS = {0, 1, 63};
    static final ElementwiseKernels SCALAR = ScalarElementwise.INSTANCE;
    static ElementwiseKernels simd;

    // Before each test, so that without the module every test shows as skipped (see KernelAllocationTest).
    @BeforeEach
    void requireVectorApi() {
        assumeTrue(KernelProvider.vectorModulePresent(), "jdk.incubator.vector is absent: nothing to compare");
        simd = KernelProvider.simd().elementwise();
    }

    static int[] lengths() {
        return IntStream.concat(IntStream.rangeClosed(0, 3 * 16 + 1), IntStream.of(1023, 4097)).toArray();
    }

    /** Random values with specials sprinkled in: ±0, ±∞, NaN, subnormals, large magnitudes. */
    static float[] data(Random r, int n, float scale) {
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.MIN_VALUE, -Float.MIN_NORMAL, 1e4f, -1e4f, 88.8f, -104.5f, 0.625f, -0.625f};
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(8) == 0 ? specials[r.nextInt(specials.length)] : (float) r.nextGaussian() * scale;
        }
        return x;
    }

    static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + " differs: scalar " + expected[i] + ", simd " + actual[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unary_everyLengthAndOffset_bitExact(UnaryOp op) {
        Random r = new Random(op.ordinal());
        float p = op == UnaryOp.POW ? 3f : 0.1f;
        for (int n : lengths()) {
            for (int off : OFFSETS) {
                float[] x = data(r, n + off, 4f);
                float[] expected = new float[n + off];
                float[] actual = new float[n + off];
                SCALAR.unary(op, p, x, off, expected, off, n);
                simd.unary(op, p, x, off, actual, off, n);
                assertBits(expected, actual, op + " n=" + n + " off=" + off);
            }
        }
    }

    /**
     * The SIMD exp scales by one exponent field instead of two factors when every lane's result
     * is a normal float. A grid over the whole range where exp is neither 0 nor ∞ (vectors wholly
     * inside that shortcut, wholly outside and across its ends), and every float near its ends and
     * near where results turn subnormal or overflow, give the scalar twin's bits.
     */
    @Test
    void exp_acrossTheShortcutsEnds_bitExact() {
        int grid = 1 << 20;
        float[] x = new float[grid];
        for (int i = 0; i < grid; i++) {
            x[i] = -105f + 195f * i / grid;
        }
        assertExpBits(x, "grid over [-105, 90)");
        for (float centre : new float[] {-86f, 86f, -87.3365f, 88.7228f}) {
            float[] near = new float[1 << 16];
            float v = centre;
            for (int i = 0; i < near.length / 2; i++) {
                v = Math.nextDown(v);
            }
            for (int i = 0; i < near.length; i++) {
                near[i] = v;
                v = Math.nextUp(v);
            }
            assertExpBits(near, "every float near " + centre);
        }
    }

    private static void assertExpBits(float[] x, String what) {
        float[] expected = new float[x.length];
        float[] actual = new float[x.length];
        SCALAR.unary(UnaryOp.EXP, 0f, x, 0, expected, 0, x.length);
        simd.unary(UnaryOp.EXP, 0f, x, 0, actual, 0, x.length);
        assertBits(expected, actual, "exp, " + what);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binary_everyLengthOffsetAndBroadcast_bitExact(BinaryOp op) {
        Random r = new Random(100 + op.ordinal());
        for (int n : lengths()) {
            for (int off : OFFSETS) {
                for (int inc = 0; inc < 4; inc++) {
                    int aInc = inc & 1;
                    int bInc = inc >> 1;
                    float[] a = data(r, n + off + 2, 3f);
                    float[] b = data(r, n + off + 2, 3f);
                    if (r.nextBoolean()) {
                        System.arraycopy(a, 0, b, 0, a.length / 2);   // equal pairs for the comparisons
                    }
                    float[] expected = new float[n + off];
                    float[] actual = new float[n + off];
                    SCALAR.binary(op, a, off, aInc, b, off + 1, bInc, expected, off, n);
                    simd.binary(op, a, off, aInc, b, off + 1, bInc, actual, off, n);
                    assertBits(expected, actual, op + " n=" + n + " off=" + off + " inc=" + aInc + "," + bInc);
                }
            }
        }
    }

    @Test
    void binary_outputAliasesInput_bitExact() {
        Random r = new Random(7);
        float[] a = data(r, 1000, 1f);
        float[] b = data(r, 1000, 1f);
        float[] a2 = a.clone();
        SCALAR.binary(BinaryOp.ADD, a, 1, 1, b, 0, 1, a, 1, 999);
        simd.binary(BinaryOp.ADD, a2, 1, 1, b, 0, 1, a2, 1, 999);
        assertBits(a, a2, "in-place add");
    }

    /** In place, over several of the blocks SOFTPLUS and MISH run their passes in, plus a tail. */
    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unary_outputAliasesInput_bitExact(UnaryOp op) {
        Random r = new Random(200 + op.ordinal());
        float p = op == UnaryOp.POW ? 3f : 0.1f;
        float[] x = data(r, 3002, 4f);
        float[] expected = x.clone();
        SCALAR.unary(op, p, x, 1, expected, 1, 3001);
        simd.unary(op, p, x, 1, x, 1, 3001);
        assertBits(expected, x, op + " in place");
    }

    @Test
    void axpy_everyLengthAndOffset_bitExact() {
        Random r = new Random(5);
        for (float alpha : new float[] {1f, -0.37f}) {
            for (int n : lengths()) {
                for (int off : OFFSETS) {
                    float[] x = data(r, n + off + 1, 2f);
                    float[] expected = data(r, n + off, 2f);
                    float[] actual = expected.clone();
                    SCALAR.axpy(alpha, x, off + 1, expected, off, n);
                    simd.axpy(alpha, x, off + 1, actual, off, n);
                    assertBits(expected, actual, "axpy alpha=" + alpha + " n=" + n + " off=" + off);
                }
            }
        }
    }

    @Test
    void uniform_everyLengthOffsetAndState_bitExact_andTheGeneratorsDraws() {
        for (long state : new long[] {0L, -1L, 0x123456789ABCDEFL, Long.MIN_VALUE}) {
            for (int n : lengths()) {
                for (int off : OFFSETS) {
                    float[] expected = new float[n + off + 1];
                    float[] actual = new float[n + off + 1];
                    expected[off + n] = actual[off + n] = 7f;          // the element after: untouched
                    SCALAR.uniform(state, expected, off, n);
                    simd.uniform(state, actual, off, n);
                    assertBits(expected, actual, "uniform state=" + state + " n=" + n + " off=" + off);
                    assertEquals(7f, actual[off + n]);
                }
            }
            float[] twin = new float[4097];
            SCALAR.uniform(state, twin, 0, twin.length);
            Generator g = new Generator(state);
            for (int i = 0; i < twin.length; i++) {
                assertEquals(Float.floatToIntBits(g.nextFloat()), Float.floatToIntBits(twin[i]), "draw " + i);
            }
        }
    }

    @Test
    void adam_everyLengthAndOffset_withAndWithoutAmsgradAndDecay_bitExact() {
        Random r = new Random(8);
        for (int variant = 0; variant < 4; variant++) {
            boolean amsgrad = (variant & 1) != 0;
            float wd = (variant & 2) != 0 ? 0.01f : 0f;
            for (int n : lengths()) {
                for (int off : OFFSETS) {
                    float[] g = data(r, n + off + 2, 1f);
                    float[][] expected = new float[4][];
                    float[][] actual = new float[4][];
                    for (int k = 0; k < 4; k++) {
                        expected[k] = data(r, n + off + 1, 1f);
                        if (k > 0) {
                            for (int i = 0; i < expected[k].length; i++) {
                                expected[k][i] = Math.abs(expected[k][i]);     // second moments are >= 0
                            }
                        }
                        actual[k] = expected[k].clone();
                    }
                    ScalarUpdates.INSTANCE.adam(expected[0], off, g, off + 2, expected[1], off + 1, expected[2], off,
                            amsgrad ? expected[3] : null, off + 1, n, 0.9f, 0.999f, wd, 0.01f, 0.3f, 1e-8f);
                    KernelProvider.simd().updates().adam(actual[0], off, g, off + 2, actual[1], off + 1, actual[2], off,
                            amsgrad ? actual[3] : null, off + 1, n, 0.9f, 0.999f, wd, 0.01f, 0.3f, 1e-8f);
                    for (int k = 0; k < 4; k++) {
                        assertBits(expected[k], actual[k], "adam array " + k + " variant " + variant + " n=" + n
                                + " off=" + off);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void backward_everyLengthAndOffset_bitExact(UnaryOp op) {
        if (op.backwardReads() == UnaryOp.Saved.NONE) {
            return;
        }
        Random r = new Random(100 + op.ordinal());
        for (int n : lengths()) {
            for (int off : OFFSETS) {
                float[] g = data(r, n + off, 2f);
                float[] s = data(r, n + 1, 4f);
                if (op.backwardReads() == UnaryOp.Saved.OUTPUT) {
                    SCALAR.unary(op, 0.1f, s, 0, s, 0, n + 1);   // an output the op can produce
                }
                float[] expected = new float[n + off];
                float[] actual = new float[n + off];
                SCALAR.backward(op, 0.1f, g, off, s, 1, expected, off, n);
                simd.backward(op, 0.1f, g, off, s, 1, actual, off, n);
                assertBits(expected, actual, op + " backward n=" + n + " off=" + off);
            }
        }
    }

    @Test
    void map_vectorFormAndTail_bitExact() {
        VectorForms.checkMap(simd);
    }

    @Test
    void vectorMath_sameBitsAsScalarMath() {
        VectorForms.checkVectorMath();
    }

    @Test
    void gradient_bothFormsVectorAndTail_bitExact() {
        VectorForms.checkGradient(simd);
    }

    /**
     * Holds the lambdas typed on FloatVector, so this test class still loads (and skips) when
     * the Vector API module is absent.
     */
    static final class VectorForms {
        static void checkMap(ElementwiseKernels simd) {
            Random r = new Random(6);
            FloatFunction f = v -> Math.fma(v, v, 0.5f * v);
            VectorFunction vf = v -> v.fma(v, v.mul(0.5f));
            MapKernel scalar = SCALAR.map(f, vf);
            MapKernel vector = simd.map(f, vf);
            MapKernel scalarOnly = simd.map(f, null);
            for (int n : lengths()) {
                for (int off : OFFSETS) {
                    float[] x = data(r, n + off, 2f);
                    float[] expected = new float[n + off];
                    float[] actual = new float[n + off];
                    float[] tailOnly = new float[n + off];
                    scalar.apply(x, off, expected, off, n);
                    vector.apply(x, off, actual, off, n);
                    scalarOnly.apply(x, off, tailOnly, off, n);
                    assertBits(expected, actual, "map n=" + n + " off=" + off);
                    assertBits(expected, tailOnly, "map without vf n=" + n + " off=" + off);
                }
            }
        }

        // static final: a species held anywhere else makes every vector operation many times slower.
        static final jdk.incubator.vector.VectorSpecies<Float> SPECIES = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;

        /** VectorMath gives ScalarMath's bits in every lane, specials and every tail included. */
        static void checkVectorMath() {
            Random r = new Random(8);
            int lanes = SPECIES.length();
            for (int n : lengths()) {
                float[] x = data(r, n - n % lanes, 30f);
                float[] exp = new float[x.length];
                float[] sigmoid = new float[x.length];
                for (int i = 0; i < x.length; i += lanes) {
                    jdk.incubator.vector.FloatVector v = jdk.incubator.vector.FloatVector.fromArray(SPECIES, x, i);
                    VectorMath.exp(v).intoArray(exp, i);
                    VectorMath.sigmoid(v).intoArray(sigmoid, i);
                }
                for (int i = 0; i < x.length; i++) {
                    assertBits(new float[] {ScalarMath.exp(x[i])}, new float[] {exp[i]}, "exp(" + x[i] + ")");
                    assertBits(new float[] {ScalarMath.sigmoid(x[i])}, new float[] {sigmoid[i]}, "sigmoid(" + x[i] + ")");
                }
            }
        }

        static void checkGradient(ElementwiseKernels simd) {
            Random r = new Random(7);
            FloatFunction d = v -> Math.fma(2f, v, 0.5f);
            VectorFunction vd = v -> v.fma(2f, 0.5f);
            FloatBiFunction d2 = (v, y) -> Math.fma(v, y, 1f);
            VectorBiFunction vd2 = (v, y) -> v.fma(y, v.broadcast(1f));
            GradientKernel[][] kernels = {
                {SCALAR.gradient(d, vd), simd.gradient(d, vd), simd.gradient(d, (VectorFunction) null)},
                {SCALAR.gradient(d2, vd2), simd.gradient(d2, vd2), simd.gradient(d2, (VectorBiFunction) null)},
            };
            for (GradientKernel[] k : kernels) {
                String form = k[0].readsOutput() ? "d(x, y)" : "d(x)";
                for (int n : lengths()) {
                    for (int off : OFFSETS) {
                        float[] g = data(r, n + off, 2f);
                        float[] x = data(r, n + 1, 2f);
                        float[] y = data(r, n + 2, 2f);
                        float[][] out = new float[3][n + off];
                        for (int j = 0; j < 3; j++) {
                            k[j].apply(g, off, x, 1, y, 2, out[j], off, n);
                        }
                        assertBits(out[0], out[1], form + " n=" + n + " off=" + off);
                        assertBits(out[0], out[2], form + " without its vector form n=" + n + " off=" + off);
                    }
                }
            }
        }
    }

    @Test
    void sum_integerValues_bitExactAndExact() {
        Random r = new Random(11);
        for (int n : lengths()) {
            for (int off : OFFSETS) {
                float[] x = new float[n + off];
                long exact = 0;
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextInt(201) - 100;
                    exact += i >= off ? (long) x[i] : 0;
                }
                assertEquals(exact, SCALAR.sum(x, off, n), "scalar n=" + n + " off=" + off);
                assertEquals(exact, simd.sum(x, off, n), "simd n=" + n + " off=" + off);
            }
        }
    }

    @Test
    void sum_randomValues_bitExactAndWithinBoundOfDoubleReference() {
        Random r = new Random(12);
        for (int n : lengths()) {
            for (int off : OFFSETS) {
                float[] x = new float[n + off];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                double ref = 0;
                double absSum = 0;
                for (int i = off; i < off + n; i++) {
                    ref += x[i];
                    absSum += Math.abs(x[i]);
                }
                float s = SCALAR.sum(x, off, n);
                assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(simd.sum(x, off, n)), "n=" + n);
                assertEquals(ref, s, 4e-5 * absSum + 1e-30, "n=" + n);
            }
        }
    }

    @Test
    void max_everyLengthWithSpecials_bitExact() {
        Random r = new Random(13);
        for (int n : lengths()) {
            for (int off : OFFSETS) {
                float[] x = data(r, n + off, 5f);
                assertBits(new float[] {SCALAR.max(x, off, n)}, new float[] {simd.max(x, off, n)},
                        "max n=" + n + " off=" + off);
            }
        }
    }

    @Test
    void max_nanAnywhere_isNaN() {
        for (int n = 1; n < 40; n++) {
            for (int at = 0; at < n; at++) {
                float[] x = new float[n];
                x[at] = Float.NaN;
                assertEquals(Float.NaN, simd.max(x, 0, n), "n=" + n + " at=" + at);
                assertEquals(Float.NaN, SCALAR.max(x, 0, n), "n=" + n + " at=" + at);
            }
        }
    }
}
