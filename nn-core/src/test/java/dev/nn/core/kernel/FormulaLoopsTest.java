package dev.nn.core.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.FloatMath;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Users' scalar lambdas run on vectors as formulas of nn's kernels: each construct the reader
 * knows, against the lambda itself (the specification), with whole blocks, partial blocks and a
 * tail; what it does not know, left to the scalar loop; a translation that disagrees, refused.
 */
class FormulaLoopsTest {

    private final Random random = new Random(26);

    @BeforeEach
    void requireVectorApi() {
        assumeTrue(KernelProvider.vectorModulePresent(), "jdk.incubator.vector is absent: no vector kernels");
    }

    /** Inputs of odd length (two blocks and a part, then a tail), at an offset, with NaN, infinities and zeros. */
    private float[] inputs() {
        float[] x = new float[2 * FormulaProgram.BLOCK + 333];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian() * 5f;
        }
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 100f, -100f};
        System.arraycopy(specials, 0, x, 5, specials.length);
        return x;
    }

    /** Runs the translated map at offset 3 over all but the first 3 and last 2 inputs, and f itself. */
    private void assertAgrees(FloatFunction f, boolean sameBits) {
        MapKernel k = FormulaLoops.map(f);
        assertNotNull(k, "not translated");
        float[] x = inputs();
        float[] got = new float[x.length];
        int n = x.length - 5;
        k.apply(x, 3, got, 3, n);
        for (int i = 3; i < 3 + n; i++) {
            float want = f.apply(x[i]);
            if (sameBits) {
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[i]), "at x = " + x[i]);
            } else if (Float.isNaN(want) || Float.isInfinite(want)) {
                assertEquals(want, got[i], "at x = " + x[i]);
            } else {
                assertEquals(want, got[i], 16 * Math.ulp(want) + 1e-6f * Math.abs(want) + 1e-6f, "at x = " + x[i]);
            }
        }
        assertEquals(0f, got[0]);
        assertEquals(0f, got[x.length - 1]);
    }

    @Test
    void floatArithmetic_nnsMath_andBranches_giveTheLambdasBits() {
        // Float operations and FloatMath: the kernels compute exactly what the lambda does.
        List<FloatFunction> same = List.of(
                x -> x * FloatMath.sigmoid(x),
                x -> x * x * x - 2f * x + 0.5f,
                x -> x / (1f + Math.abs(x)),
                x -> Math.max(x, 0.1f * x),
                x -> x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f,
                x -> x > 0 ? x : 0.01f * x,
                x -> x < -3f ? 0f : x > 3f ? 1f : (2f * x + 3f) / 6f,
                x -> x >= 1f ? 1f : 0f,
                x -> x <= 1f ? 1f : 0f,
                x -> x == 0f ? 2f : x,
                x -> x != x ? 0f : x,              // NaN check: NaN takes the branch
                x -> (float) Math.sqrt(Math.abs(x)),
                x -> FloatMath.tanh(x) + FloatMath.erf(x) - FloatMath.softplus(x),
                x -> FloatMath.log(Math.abs(x) + 1f) * FloatMath.exp(-x * x),
                x -> 1f / (1f + FloatMath.exp(-x)),  // recognised as the SIGMOID kernel: the same bits
                Math::abs,
                FloatMath::sigmoid,
                x -> x,
                x -> 2f);
        for (FloatFunction f : same) {
            assertAgrees(f, true);
        }
    }

    @Test
    void doublesAndMathExp_runAsFloats_withinAFewUlp() {
        float a = 0.2f;
        double b = 1.5;
        int c = 3;
        List<FloatFunction> close = List.of(
                x -> x / (1f + (float) Math.exp(-x)),
                x -> {
                    float s = 1f / (1f + (float) Math.exp(-x));
                    return s * (1f + x * (1f - s));
                },
                x -> (float) (0.5 * x * (1 + Math.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))),
                x -> (float) StrictMath.log(1 + Math.exp(-Math.abs(x))),
                x -> x > 0 ? x : a * x,            // captured values are constants
                x -> (float) (b * x) + c);
        for (FloatFunction f : close) {
            assertAgrees(f, false);
        }
    }

    /** swish's derivative in a static method of the program's own, as users write a longer function. */
    static float swishDerivative(float x) {
        float s = sigmoid(x);
        return s * (1f + x * (1f - s));
    }

    static float sigmoid(float x) {
        return x >= 0 ? 1f / (1f + FloatMath.exp(-x)) : FloatMath.exp(x) / (1f + FloatMath.exp(x));
    }

    static float countdown(float x) {
        return x > 100f ? x : countdown(x + 1f);
    }

    @Test
    void staticMethodsOfTheProgram_areFollowed_byReferenceAndFromALambda() {
        assertAgrees(FormulaLoopsTest::swishDerivative, true);
        assertAgrees(x -> x * sigmoid(x) + swishDerivative(2f * x), true);
        assertNull(FormulaLoops.map(FormulaLoopsTest::countdown));      // recursion: given up on, runs as written
    }

    @Test
    void derivatives_ofXAndOfXAndY_chainWithTheGradient() {
        FloatFunction d = x -> {
            float s = FloatMath.sigmoid(x);
            return s * (1f + x * (1f - s));
        };
        FloatBiFunction d2 = (x, y) -> x > 0 ? y * (1f - y) : 0.5f;
        GradientKernel k1 = FormulaLoops.gradient(d);
        GradientKernel k2 = FormulaLoops.gradient(d2);
        assertNotNull(k1);
        assertNotNull(k2);
        assertTrue(!k1.readsOutput() && k2.readsOutput());
        float[] x = inputs();
        float[] y = inputs();
        float[] g = inputs();
        float[] out1 = new float[x.length];
        float[] out2 = new float[x.length];
        int n = x.length - 1;
        k1.apply(g, 1, x, 1, null, 0, out1, 1, n);
        k2.apply(g, 1, x, 1, y, 1, out2, 1, n);
        for (int i = 1; i <= n; i++) {
            assertEquals(Float.floatToIntBits(g[i] * d.apply(x[i])), Float.floatToIntBits(out1[i]), "d at " + x[i]);
            assertEquals(Float.floatToIntBits(g[i] * d2.apply(x[i], y[i])), Float.floatToIntBits(out2[i]),
                    "d2 at " + x[i] + ", " + y[i]);
        }
    }

    @Test
    void whatAFormulaCannotExpress_isLeftToTheScalarLoop() {
        float[] table = {1f, 2f};
        FloatFunction anonymous = new FloatFunction() {
            private static final long serialVersionUID = 1L;

            @Override
            public float apply(float x) {
                return x + 1f;
            }
        };
        List<FloatFunction> left = List.of(
                x -> (float) Math.log1p(x),                     // no kernel for log1p
                x -> {                                          // a loop
                    float s = 0f;
                    for (int i = 0; i < 3; i++) {
                        s += x;
                    }
                    return s;
                },
                x -> x * table[0],                              // reads an array it captured
                x -> (int) x,                                   // integer arithmetic
                x -> Float.isNaN(x) ? 0f : x,                   // another call
                anonymous);                                     // not a lambda
        for (FloatFunction f : left) {
            assertNull(FormulaLoops.map(f));
        }
        // The SIMD kernels still run them, as written.
        float[] x = inputs();
        float[] y = new float[x.length];
        KernelProvider.simd().elementwise().map(left.get(0), null).apply(x, 0, y, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits((float) Math.log1p(x[i])), Float.floatToIntBits(y[i]));
        }
    }

    /**
     * Every operation a fused loop computes, in loops of several operations, against the same
     * formula run one pass per operation: the same bits, in fewer passes; a second exp starts a
     * new loop, and an operation with no fused form (log) runs its own pass between two loops.
     */
    @Test
    void fusedLoops_giveThePassesBits_inFewerPasses() throws ReflectiveOperationException, LambdaBytecode.Unreadable {
        Formula f = Formula.translate(LambdaBytecode.of((FloatFunction) v -> v), 1);
        Formula.Node x = f.input(0);
        Formula.Node y = f.input(1);
        Formula.Node g = f.input(2);
        Formula.Node half = f.binary(BinaryOp.MUL, x, f.constant(0.5));
        Formula.Node shifted = f.binary(BinaryOp.SUB, f.constant(1), x);
        List<Formula.Node> roots = new java.util.ArrayList<>();
        for (UnaryOp u : UnaryOp.values()) {
            if (FusedLoop.fusible(f.unary(u, x))) {
                roots.add(f.binary(BinaryOp.ADD, f.unary(u, half), x));
                roots.add(f.unary(u, f.binary(BinaryOp.MUL, shifted, y)));
            }
        }
        for (BinaryOp b : BinaryOp.values()) {
            roots.add(f.binary(b, half, f.unary(UnaryOp.NEG, x)));
            roots.add(f.binary(BinaryOp.MUL, f.binary(b, f.constant(0.25), half), g));
            roots.add(f.binary(BinaryOp.MUL, f.binary(b, half, f.constant(-0.25)), g));
            roots.add(f.select(f.binary(b, x, y), half, f.binary(BinaryOp.MUL, y, g)));
        }
        Formula.Node twoExps = f.binary(BinaryOp.MUL, f.unary(UnaryOp.EXP, half), f.unary(UnaryOp.EXP, f.binary(
                BinaryOp.ADD, x, f.unary(UnaryOp.EXP, y))));
        roots.add(twoExps);
        Formula.Node throughLog = f.binary(BinaryOp.DIV, f.unary(UnaryOp.LOG, f.binary(BinaryOp.MUL, half, half)),
                f.binary(BinaryOp.ADD, f.unary(UnaryOp.ABS, x), f.constant(1)));
        roots.add(throughLog);
        for (Formula.Node root : roots) {
            FormulaProgram fused = new FormulaProgram(root, true);
            FormulaProgram passes = new FormulaProgram(root, false);
            assertTrue(fused.passes() < passes.passes(), "not fused");
            float[] a = inputs();
            float[] b = inputs();
            float[] c = inputs();
            float[] want = new float[a.length];
            float[] got = new float[a.length];
            int n = a.length - 4;
            passes.gradient(null, (u, v) -> 0f).apply(c, 1, a, 2, b, 3, want, 4, n - n % FusedLoop.S.length());
            fused.gradient(null, (u, v) -> 0f).apply(c, 1, a, 2, b, 3, got, 4, n - n % FusedLoop.S.length());
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "at " + i);
            }
        }
        assertEquals(3, new FormulaProgram(twoExps, true).passes());     // exp and x·0.5; exp and y + exp; exp and ·
        assertEquals(3, new FormulaProgram(throughLog, true).passes());  // x·0.5 twice; log; |x| + 1 and /
    }

    /** A lambda capturing a number is a new function for each number: its shape's loop is defined once. */
    @Test
    void formulasDifferingInTheirConstants_shareOneLoop_eachWithItsOwnConstants() {
        FormulaProgram first = null;
        for (float t : new float[] {2f, -0.5f, 3f}) {
            FloatFunction f = v -> v * t + 1f / (1f + FloatMath.exp(-v));
            assertAgrees(f, true);
            FormulaProgram p = assertDoesNotThrow(() -> FormulaLoops.checked(f));
            assertEquals(1, p.passes());
            first = first == null ? p : assertSameLoops(first, p);
        }
        // Several loops with blocks between them (three exps, a tanh pass): the same blocks each time.
        first = null;
        for (float t : new float[] {2f, -0.5f, 3f}) {
            FloatFunction f = v -> FloatMath.exp(v * t) * FloatMath.sigmoid(v) + FloatMath.tanh(v) * FloatMath.exp(-v);
            assertAgrees(f, true);
            FormulaProgram p = assertDoesNotThrow(() -> FormulaLoops.checked(f));
            assertTrue(p.passes() >= 4, "passes: " + p.passes());
            first = first == null ? p : assertSameLoops(first, p);
        }
    }

    private static FormulaProgram assertSameLoops(FormulaProgram a, FormulaProgram b) {
        assertEquals(a.passes(), b.passes());
        for (int s = 0; s < a.passes(); s++) {
            assertSame(a.fusedLoop(s), b.fusedLoop(s), "step " + s);
        }
        return a;
    }

    @Test
    void aTranslationThatDisagreesWithTheLambda_isRefused() {
        // In double, x + 1e8 - 1e8 is x to within 1e-8; in float it rounds x to a multiple of 8.
        FloatFunction cancels = x -> (float) ((double) x + 1e8 - 1e8);
        assertNull(FormulaLoops.map(cancels));
        LambdaBytecode.Unreadable e = assertThrows(LambdaBytecode.Unreadable.class,
                () -> FormulaLoops.checked(cancels));
        assertTrue(e.getMessage().startsWith("its translation gives "), e.getMessage());
    }

    @Test
    void aTranslatedFunction_isNotKeptAliveByTheTranslation() throws InterruptedException {
        // Lambdas that capture are new objects each time (x.map(v -> v * t) in a loop): the
        // translations kept per function object must let them go.
        WeakReference<FloatFunction> ref = translatedAndDropped(3f);
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "the translation keeps its function alive");
    }

    private static WeakReference<FloatFunction> translatedAndDropped(float t) {
        FloatFunction f = x -> x * t;
        MapKernel k = FormulaLoops.map(f);
        assertNotNull(k);
        float[] x = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f};
        float[] y = new float[x.length];
        k.apply(x, 0, y, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] * t, y[i]);
        }
        return new WeakReference<>(f);
    }
}
