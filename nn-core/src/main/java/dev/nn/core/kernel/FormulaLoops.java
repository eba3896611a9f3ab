package dev.nn.core.kernel;

import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's scalar function run on vectors, from its {@link Formula}: the formula's operations
 * run as loops of its own where nn can write them and as nn's loop for each other operation
 * ({@link FormulaProgram}), over blocks of 2,048 floats with scratch that stays in L1/L2, so a
 * program of scalar lambdas (swish as {@code x / (1 + (float) Math.exp(-x))}) runs at vector
 * speed without a vector form. The scalar function still runs the tail of each
 * call, as with a user's vector form.
 *
 * <p>A translation is kept only where it agrees with the scalar function it came from: on
 * probe inputs from -40 to 40, the limits of float and the special values, every result must be
 * within 16 ulp of the scalar one, or within a millionth of the largest |result| for inputs from
 * -40 to 40 (where a difference of near-equal values cancels), and NaN and infinities must match. Doubles are
 * computed as floats and {@code Math.exp} as nn's {@code exp}, so the bits differ from the
 * scalar form's by a few ulp; with {@code FloatMath} and float arithmetic they are the same.
 * Otherwise, and for what a formula cannot express, the function runs as written in its own
 * scalar loop, and the reason is logged at debug level.
 */
final class FormulaLoops {

    private static final Logger LOG = LoggerFactory.getLogger(FormulaLoops.class);
    private static final float[] PROBES = probes();
    // Per function object (a lambda without captures is one object), its checked program or why
    // there is none. A program holds no reference to its function, so the weak keys can go.
    private static final Map<Object, Object> MAPS = new WeakHashMap<>();
    private static final Map<Object, Object> GRADIENTS = new WeakHashMap<>();

    private FormulaLoops() {
    }

    /** Returns f's loop on vectors, or null where f cannot be translated or its translation disagrees. */
    static MapKernel map(FloatFunction f) {
        Object p = cached(MAPS, f, () -> checked(f));
        return p instanceof FormulaProgram program ? program.map(f) : null;
    }

    /** Returns the chain-rule loop {@code g·d(x)} on vectors, or null (as {@link #map}). */
    static GradientKernel gradient(FloatFunction d) {
        Object p = cached(GRADIENTS, d, () -> checked(d, null));
        return p instanceof FormulaProgram program ? program.gradient(d, null) : null;
    }

    /** Returns the chain-rule loop {@code g·d(x, y)} on vectors, or null (as {@link #map}). */
    static GradientKernel gradient(FloatBiFunction d) {
        Object p = cached(GRADIENTS, d, () -> checked(null, d));
        return p instanceof FormulaProgram program ? program.gradient(null, d) : null;
    }

    /**
     * Returns f's program, checked against f on the probes.
     *
     * @throws LambdaBytecode.Unreadable saying why there is none
     */
    static FormulaProgram checked(FloatFunction f) throws LambdaBytecode.Unreadable {
        FormulaProgram program = FormulaProgram.of(Formula.translate(LambdaBytecode.of(f), 1).root());
        float[] want = new float[PROBES.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = f.apply(PROBES[i]);
        }
        float[] got = new float[PROBES.length];
        program.map(f).apply(PROBES, 0, got, 0, PROBES.length);
        agree(got, want);
        return program;
    }

    /** Returns the program of {@code g·d} for d of x or of x and y (the other null), checked on the probes. */
    private static FormulaProgram checked(FloatFunction d, FloatBiFunction d2) throws LambdaBytecode.Unreadable {
        Formula formula = Formula.translate(LambdaBytecode.of(d != null ? d : d2), d != null ? 1 : 2);
        FormulaProgram program = FormulaProgram.of(formula.binary(BinaryOp.MUL, formula.input(2), formula.root()));
        // g = 1 leaves the derivative itself; y runs the probes backwards, a value the derivative may read.
        int n = PROBES.length;
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        float[] reversed = new float[n];
        float[] want = new float[n];
        for (int i = 0; i < n; i++) {
            reversed[i] = PROBES[n - 1 - i];
            want[i] = d != null ? d.apply(PROBES[i]) : d2.apply(PROBES[i], reversed[i]);
        }
        float[] got = new float[n];
        program.gradient(d, d2).apply(ones, 0, PROBES, 0, reversed, 0, got, 0, n);
        agree(got, want);
        return program;
    }

    private interface Translation {
        FormulaProgram make() throws LambdaBytecode.Unreadable;
    }

    /** Returns function's program, or a string saying why there is none, kept in {@code kept}. */
    private static Object cached(Map<Object, Object> kept, Object function, Translation translation) {
        synchronized (kept) {
            Object p = kept.get(function);
            if (p != null) {
                return p;
            }
        }
        Object p;
        try {
            p = translation.make();
            LOG.debug("kernels: {} runs on vectors as its formula", function.getClass().getName());
        } catch (LambdaBytecode.Unreadable | RuntimeException e) {
            // A runtime exception is code the reader did not expect (a stack it misread): the
            // function still runs, as written.
            p = e instanceof LambdaBytecode.Unreadable ? e.getMessage() : e.toString();
            LOG.debug("kernels: {} runs as written, one float at a time: {}", function.getClass().getName(), p);
        }
        synchronized (kept) {
            kept.put(function, p);
        }
        return p;
    }

    private static void agree(float[] got, float[] want) throws LambdaBytecode.Unreadable {
        // The function's scale where inputs are moderate, not where they reach the limits of float.
        float scale = 0f;
        for (int i = 0; i < want.length; i++) {
            if (Float.isFinite(want[i]) && Math.abs(PROBES[i]) <= 40f) {
                scale = Math.max(scale, Math.abs(want[i]));
            }
        }
        for (int i = 0; i < got.length; i++) {
            float g = got[i];
            float w = want[i];
            boolean same = Float.isNaN(g) ? Float.isNaN(w) : !Float.isFinite(w) || !Float.isFinite(g) ? g == w
                    : Math.abs(g - w) <= Math.max(16 * Math.ulp(w), 1e-6f * scale);
            if (!same) {
                throw new LambdaBytecode.Unreadable("its translation gives " + g + " where it gives " + w + " (at "
                        + PROBES[i] + ")");
            }
        }
    }

    /** Specials first (so whole vectors run them), then -40 to 40, then normal samples. */
    private static float[] probes() {
        float[] specials = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, 1e-7f, -1e-7f, 1f, -1f, 0.5f, -0.5f, 3f, -3f,
            20f, -20f, 88.7f, -88.7f, 89f, -89f, 104f, -104f, 1e10f, -1e10f, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-3f, -1e-3f, 6f, -6f};
        float[] p = new float[4096 + 3];
        System.arraycopy(specials, 0, p, 0, specials.length);
        Random r = new Random(26);
        for (int i = specials.length; i < p.length; i++) {
            p[i] = i < 3000 ? -40f + 80f * (i - specials.length) / (3000 - specials.length)
                    : (float) r.nextGaussian() * 4f;
        }
        return p;
    }
}
