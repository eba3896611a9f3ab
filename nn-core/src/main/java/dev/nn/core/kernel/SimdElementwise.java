package dev.nn.core.kernel;

import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorBiFunction;
import dev.nn.core.function.VectorFunction;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise kernels on the Vector API. Every method repeats its {@link ScalarElementwise}
 * twin operation for operation, so both give the same bits; the twin also runs each tail.
 */
final class SimdElementwise implements ElementwiseKernels {

    // static final: a species held anywhere else makes every vector operation many times slower.
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    // uniform's vectors: 64-bit states, and floats as many as they (a vector of half S's width).
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int LL = LS.length();
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(32 * LL));

    /** A vector loop of one {@link UnaryOp} over whole vectors, [0, bound) ({@code p} as in {@link #unary}). */
    @FunctionalInterface
    interface UnaryLoop {
        void run(float p, float[] x, int xo, float[] y, int yo, int bound);
    }

    /** A vector loop of one {@link BinaryOp} over whole vectors, [0, bound). */
    @FunctionalInterface
    interface BinaryLoop {
        void run(float[] a, int ao, int aInc, float[] b, int bo, int bInc, float[] y, int yo, int bound);
    }

    /** A vector loop of one op's fused backward over whole vectors, [0, bound) (see {@link #backward}). */
    @FunctionalInterface
    interface BackwardLoop {
        void run(float p, float[] g, int go, float[] s, int so, float[] out, int oo, int bound);
    }

    private static final MethodType MAP_LOOP = MethodType.methodType(void.class, FloatFunction.class,
            VectorFunction.class);
    private static final MethodType GRADIENT_LOOP = MethodType.methodType(void.class, FloatFunction.class,
            FloatBiFunction.class, VectorFunction.class, VectorBiFunction.class);
    private static final MethodHandle RUN_UNARY = find(UnaryLoop.class, MethodType.methodType(void.class,
            float.class, float[].class, int.class, float[].class, int.class, int.class));
    private static final MethodHandle RUN_BINARY = find(BinaryLoop.class, MethodType.methodType(void.class,
            float[].class, int.class, int.class, float[].class, int.class, int.class, float[].class, int.class,
            int.class));
    private static final MethodHandle RUN_BACKWARD = find(BackwardLoop.class, MethodType.methodType(void.class,
            float.class, float[].class, int.class, float[].class, int.class, float[].class, int.class, int.class));

    /**
     * Each {@link UnaryOp}'s vector loop, as a handle; null for POW, which has no vector form
     * bit-identical to Math.pow (the scalar tail does it all).
     *
     * <p>Reached through method handles so that no compiled method holds the loops of two ops.
     * Called directly from one method (a switch, as before), C2 compiled the loops of every op
     * in use into that method, ran out of its node budget (NodeCountInliningCutoff) and called
     * exp, log or tanh instead of inlining them, boxing every vector: with exp and log both in
     * use, log ran 2.8x slower and allocated 16 bytes per float. Called on the loop objects
     * themselves, C2 would inline the two it has seen most at that one call site (bimorphic
     * inlining), as exp and log were. A handle taken from an array is not a constant, so C2 does
     * not inline through it: each loop is compiled on its own, one op per compilation. The
     * table itself is typed: the switches below name each op's loop, and the compiler checks that
     * they cover every op. KernelAllocationTest runs the ops side by side and fails if any keeps
     * allocating.
     */
    private static final MethodHandle[] UNARY_LOOPS = new MethodHandle[UnaryOp.values().length];
    /** Each {@link BinaryOp}'s vector loop, reached like {@link #UNARY_LOOPS} and for the same reason. */
    private static final MethodHandle[] BINARY_LOOPS = new MethodHandle[BinaryOp.values().length];
    /** Each {@link UnaryOp}'s fused backward loop (null where it has none), reached like {@link #UNARY_LOOPS}. */
    private static final MethodHandle[] BACKWARD_LOOPS = new MethodHandle[UnaryOp.values().length];

    static {
        for (UnaryOp op : UnaryOp.values()) {
            UnaryLoop loop = vectorLoop(op);
            UNARY_LOOPS[op.ordinal()] = loop == null ? null : handle(loop);
        }
        for (BinaryOp op : BinaryOp.values()) {
            BINARY_LOOPS[op.ordinal()] = handle(vectorLoop(op));
        }
        for (UnaryOp op : UnaryOp.values()) {
            BackwardLoop loop = backwardLoop(op);
            BACKWARD_LOOPS[op.ordinal()] = loop == null ? null : RUN_BACKWARD.bindTo(loop);
        }
    }

    /** Returns op's fused backward loop, null where {@link UnaryOp#backwardReads()} is NONE. */
    private static BackwardLoop backwardLoop(UnaryOp op) {
        return switch (op) {
            case RELU -> SimdBackwardLoops::relu;
            case LEAKY_RELU -> SimdBackwardLoops::leakyRelu;
            case SIGMOID -> SimdBackwardLoops::sigmoid;
            case TANH -> SimdBackwardLoops::tanh;
            case SILU -> SimdBackwardLoops::silu;
            case SOFTPLUS -> SimdBackwardLoops::softplus;
            case SOFTSIGN -> SimdBackwardLoops::softsign;
            case GELU -> SimdBackwardLoops::gelu;
            default -> null;
        };
    }

    /** Returns op's vector loop. */
    private static UnaryLoop vectorLoop(UnaryOp op) {
        return switch (op) {
            case NEG -> SimdUnaryLoops::neg;
            case ABS -> SimdUnaryLoops::abs;
            case SQUARE -> SimdUnaryLoops::square;
            case SQRT -> SimdUnaryLoops::sqrt;
            case EXP -> SimdUnaryLoops::exp;
            case LOG -> SimdUnaryLoops::log;
            case TANH -> SimdUnaryLoops::tanh;
            case SIGMOID -> SimdUnaryLoops::sigmoid;
            case ERF -> SimdUnaryLoops::erf;
            case RELU -> SimdUnaryLoops::relu;
            case LEAKY_RELU -> SimdUnaryLoops::leakyRelu;
            case ELU -> SimdUnaryLoops::elu;
            case SELU -> SimdUnaryLoops::selu;
            case SILU -> SimdUnaryLoops::silu;
            case SOFTPLUS -> SimdUnaryLoops::softplus;
            case SOFTSIGN -> SimdUnaryLoops::softsign;
            case GELU_TANH -> SimdUnaryLoops::geluTanh;
            case MISH -> SimdUnaryLoops::mish;
            case GELU -> SimdUnaryLoops::gelu;
            case RECIPROCAL -> SimdUnaryLoops::reciprocal;
            case POW -> null;
        };
    }

    /** Returns op's vector loop, as {@link #vectorLoop(UnaryOp)} for unary ops. */
    private static BinaryLoop vectorLoop(BinaryOp op) {
        return switch (op) {
            case ADD -> SimdBinaryLoops::add;
            case SUB -> SimdBinaryLoops::sub;
            case MUL -> SimdBinaryLoops::mul;
            case DIV -> SimdBinaryLoops::div;
            case MAX -> SimdBinaryLoops::max;
            case MIN -> SimdBinaryLoops::min;
            case GT -> SimdBinaryLoops::gt;
            case GE -> SimdBinaryLoops::ge;
            case LT -> SimdBinaryLoops::lt;
            case LE -> SimdBinaryLoops::le;
            case EQ -> SimdBinaryLoops::eq;
            case NE -> SimdBinaryLoops::ne;
        };
    }

    private static MethodHandle find(Class<?> loopType, MethodType type) {
        try {
            return MethodHandles.lookup().findVirtual(loopType, "run", type);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Returns a handle that runs {@code loop}, for a table (see {@link #UNARY_LOOPS}). */
    static MethodHandle handle(UnaryLoop loop) {
        return RUN_UNARY.bindTo(loop);
    }

    /** Returns a handle that runs {@code loop}, for a table (see {@link #UNARY_LOOPS}). */
    static MethodHandle handle(BinaryLoop loop) {
        return RUN_BINARY.bindTo(loop);
    }

    /** Returns the handle of op's vector loop, for loops that run others in passes. */
    static MethodHandle loop(UnaryOp op) {
        return UNARY_LOOPS[op.ordinal()];
    }

    /** Returns the handle of op's vector loop, for loops that run others in passes. */
    static MethodHandle loop(BinaryOp op) {
        return BINARY_LOOPS[op.ordinal()];
    }

    /** Runs a unary loop's handle. */
    static void run(MethodHandle loop, float p, float[] x, int xo, float[] y, int yo, int bound) {
        try {
            loop.invokeExact(p, x, xo, y, yo, bound);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Runs a binary loop's handle. */
    static void run(MethodHandle loop, float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                    float[] y, int yo, int bound) {
        try {
            loop.invokeExact(a, ao, aInc, b, bo, bInc, y, yo, bound);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public void unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        assert xo >= 0 && yo >= 0 && xo + n <= x.length && yo + n <= y.length;
        MethodHandle loop = UNARY_LOOPS[op.ordinal()];
        int i = loop == null ? 0 : S.loopBound(n);
        if (i > 0) {
            run(loop, p, x, xo, y, yo, i);
        }
        for (; i < n; i++) {
            y[yo + i] = ScalarElementwise.apply(op, p, x[xo + i]);
        }
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                       float[] y, int yo, int n) {
        assert (aInc == 0 || aInc == 1) && (bInc == 0 || bInc == 1);
        // Both operands broadcast: the scalar loop alone, as the loops assume one is contiguous.
        int i = aInc == 0 && bInc == 0 ? 0 : S.loopBound(n);
        if (i > 0) {
            run(BINARY_LOOPS[op.ordinal()], a, ao, aInc, b, bo, bInc, y, yo, i);
        }
        for (; i < n; i++) {
            y[yo + i] = ScalarElementwise.apply(op, a[ao + i * aInc], b[bo + i * bInc]);
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        assert xo >= 0 && yo >= 0 && xo + n <= x.length && yo + n <= y.length;
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        }
    }

    /**
     * SplitMix64 in eight 64-bit lanes: on AVX-512 (a native 64-bit vector multiply) 65,536 draws
     * take 10 µs, a generator's loop 80-95 µs (JDK 25 and 17, Zen 5). Narrower vectors run the
     * twin: with four lanes (AVX2, as {@code -XX:UseAVX=2} on the same machine) the multiply is
     * emulated and the vector loop took 280 µs, the twin 70 µs.
     */
    @Override
    public void uniform(long state, float[] y, int yo, int n) {
        assert yo >= 0 && yo + n <= y.length;
        int i = 0;
        if (LL >= 8) {
            int bound = n - n % LL;
            LongVector z0 = LongVector.broadcast(LS, 1L).addIndex(1).mul(SplitMix.GAMMA).add(state);
            LongVector step = LongVector.broadcast(LS, LL * SplitMix.GAMMA);
            for (; i < bound; i += LL) {
                LongVector z = z0;
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
                // mix's last step, z ^ (z >>> 31), changes only bits 0-32, none of the top 24 kept
                // here; those convert to float exactly, and scaling by 2^-24 is exact: the twin's bits.
                ((FloatVector) z.lanewise(VectorOperators.LSHR, 40).convertShape(VectorOperators.L2F, HALF, 0))
                        .mul(0x1.0p-24f).intoArray(y, yo + i);
                z0 = z0.add(step);
            }
        }
        ScalarElementwise.INSTANCE.uniform(state + i * SplitMix.GAMMA, y, yo + i, n - i);
    }

    @Override
    public void backward(UnaryOp op, float p, float[] g, int go, float[] s, int so, float[] out, int oo, int n) {
        assert op.backwardReads() != UnaryOp.Saved.NONE : op;
        assert go >= 0 && so >= 0 && oo >= 0 && go + n <= g.length && so + n <= s.length && oo + n <= out.length;
        int i = S.loopBound(n);
        if (i > 0) {
            try {
                BACKWARD_LOOPS[op.ordinal()].invokeExact(p, g, go, s, so, out, oo, i);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }
        for (; i < n; i++) {
            out[oo + i] = ScalarElementwise.backward(op, p, g[go + i], s[so + i]);
        }
    }

    /**
     * {@inheritDoc} With no vector form, f runs on vectors as its formula where it can be read as
     * one ({@link FormulaLoops}), else as written in a loop of its own.
     */
    @Override
    public MapKernel map(FloatFunction f, VectorFunction vf) {
        MapKernel formula = vf == null ? FormulaLoops.map(f) : null;
        return formula != null ? formula : OwnLoops.map(SimdMapLoop.class, MAP_LOOP, f, vf);
    }

    /** {@inheritDoc} With no vector form, as {@link #map}. */
    @Override
    public GradientKernel gradient(FloatFunction d, VectorFunction vd) {
        GradientKernel formula = vd == null ? FormulaLoops.gradient(d) : null;
        return formula != null ? formula : OwnLoops.gradient(SimdGradientLoop.class, GRADIENT_LOOP, d, null, vd, null);
    }

    /** {@inheritDoc} With no vector form, as {@link #map}. */
    @Override
    public GradientKernel gradient(FloatBiFunction d, VectorBiFunction vd) {
        GradientKernel formula = vd == null ? FormulaLoops.gradient(d) : null;
        return formula != null ? formula : OwnLoops.gradient(SimdGradientLoop.class, GRADIENT_LOOP, null, d, null, vd);
    }

    @Override
    public float sum(float[] x, int xo, int n) {
        if (L < 4 || L > REDUCTION_WIDTH) {
            return ScalarElementwise.INSTANCE.sum(x, xo, n);
        }
        // Lane l of accumulator v holds partial sum v·L + l: the scalar twin's p[i % 16].
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (int bound = n & -REDUCTION_WIDTH; i < bound; i += REDUCTION_WIDTH) {
            a0 = a0.add(FloatVector.fromArray(S, x, xo + i));
            if (L <= 8) {
                a1 = a1.add(FloatVector.fromArray(S, x, xo + i + L));
            }
            if (L == 4) {
                a2 = a2.add(FloatVector.fromArray(S, x, xo + i + 8));
                a3 = a3.add(FloatVector.fromArray(S, x, xo + i + 12));
            }
        }
        float[] partial = new float[REDUCTION_WIDTH];
        a0.intoArray(partial, 0);
        if (L <= 8) {
            a1.intoArray(partial, L);
        }
        if (L == 4) {
            a2.intoArray(partial, 8);
            a3.intoArray(partial, 12);
        }
        for (; i < n; i++) {
            partial[i & (REDUCTION_WIDTH - 1)] += x[xo + i];
        }
        return ScalarElementwise.combine(partial);
    }

    @Override
    public float max(float[] x, int xo, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += L) {
                acc = acc.max(FloatVector.fromArray(S, x, xo + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }
}
