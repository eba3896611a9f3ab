package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transcendental functions on vectors of the preferred species, for the elementwise loops:
 * each repeats its {@link ScalarMath} twin operation for operation, so both give the same bits.
 */
public final class SimdMath {

    // static final: a species held anywhere else makes every vector operation many times slower.
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private SimdMath() {
    }

    // The vector math, in methods that take or return vectors. A call to one that C2 does not
    // inline boxes its vectors (16-40 bytes a float, several times slower), and C2 refuses in ways
    // that depend on what ran before: a method it has already compiled on its own to more than
    // InlineSmallCode (2,500 bytes of code), and any call parsed once the compilation has passed
    // NodeCountInliningCutoff (18,000 nodes; each Vector API call adds hundreds). The Vector API's
    // own methods are exempt (force-inlined). So:
    // - each of these methods calls only the Vector API, never another method of ours (compiled
    //   on its own, it then stays small: 200-1,700 bytes);
    // - only the loops combine them, and a loop calls exp or log, the big ones, after the small
    //   ones and last: what follows it is written out in Vector API calls (tanh's large-x form
    //   in the tanh and GELU loops, erf's in the erf loop). The exp, sigmoid and SiLU
    //   loops parse exp after expNormalRange, which has not been seen to push it past the cutoff;
    // - no branch inside that the profile decides: compiled on its own, such a method parses one
    //   path or both depending on what ran before, and both may pass the cutoff (see exp);
    // - SOFTPLUS and MISH, which need both exp and log, run in passes (see SimdUnaryLoops.softplus).
    // Before, tanh and erf called exp and log called a second half with fma helpers: one of them,
    // compiled on its own, at times passed the cutoff inside and grew to 2,600-6,600 bytes, and
    // from then on every loop calling it boxed. In KernelAllocationTest's loop on JDK 25, LOG
    // boxed in 4 runs of 40 (no op in 80 now); softplus and mish boxed always (now 2.7x faster).

    // exp of x with |x| <= 86 is a normal float: k = round(x·log2e) is in [-124, 124] and e^r in
    // [0.70, 1.42], so y·2^k neither overflows nor goes subnormal. (One bound for both signs: the
    // test is then an abs and one compare, which ran exp 1-3% faster than two compares did with
    // [-86, 88].)
    private static final float EXP_NORMAL_ABS = 86f;

    /** Whether |x| <= EXP_NORMAL_ABS in every lane (NaN included), so e^x is a normal float or NaN. */
    static boolean expNormal(FloatVector x) {
        return !x.abs().compare(VectorOperators.GT, EXP_NORMAL_ABS).anyTrue();
    }

    /**
     * Returns e^x where {@link #expNormal}(x) holds, with {@link #exp}'s bits: the clamp is
     * skipped (it leaves such x alone) and 2^k is one exponent field, as scaling a normal result
     * by two powers of two is exact. For the loops' speed: without it, the exp loop ran 1.06-1.6x
     * slower on 16M floats and SiLU's forward and backward 1.11x (AMD Zen 5).
     */
    static FloatVector expNormalRange(FloatVector x) {
        // exp's polynomial, repeated: a method shared by the two would be a call that C2 may
        // leave out of line (see the comment at the top of the class).
        FloatVector t = x.fma(ScalarMath.LOG2E, ScalarMath.ROUND_MAGIC);
        FloatVector negK = FloatVector.broadcast(S, ScalarMath.ROUND_MAGIC).sub(t);
        FloatVector r = negK.fma(FloatVector.broadcast(S, ScalarMath.LN2_HI), x);
        r = negK.fma(FloatVector.broadcast(S, ScalarMath.LN2_LO), r);
        FloatVector r2 = r.mul(r);
        FloatVector high = r2.fma(FloatVector.broadcast(S, ScalarMath.EXP_C6),
                r.fma(ScalarMath.EXP_C5, ScalarMath.EXP_C4));
        FloatVector p = r2.fma(high, r.fma(ScalarMath.EXP_C3, ScalarMath.EXP_C2));
        FloatVector y = p.fma(r2, r).add(1f);
        // The exponent bias is folded into the subtraction of the rounding constant.
        return y.mul((FloatVector) ((IntVector) t.reinterpretAsInts())
                .sub(Float.floatToRawIntBits(ScalarMath.ROUND_MAGIC) - 127)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    /** Returns e^x for any x, as {@link ScalarMath#exp} does, operation for operation. */
    public static FloatVector exp(FloatVector x) {
        // One path: no branch inside. Before, one method did both exp and expNormalRange's work,
        // chosen by a flag, and tested the range for its scaling. Compiled on its own with every
        // branch profiled it parsed 17,400-19,400 nodes: past the cutoff C2 left two compares as
        // calls, the code grew to 3,300 bytes, and every loop calling exp boxed from then on
        // (KernelAllocationTest failed on CI once, and in 6 of 10 runs with UseAVX=2 and
        // compilation logging). Now each parses about 14,500 nodes at most and compiles to 800
        // bytes.
        // Clamped by compare and blend: max/min follow Math.max's NaN and -0 rules, five
        // instructions each on AVX2. NaN compares false and passes through, as through Math.max.
        FloatVector lo = FloatVector.broadcast(S, ScalarMath.EXP_LO);
        FloatVector hi = FloatVector.broadcast(S, ScalarMath.EXP_HI);
        FloatVector xc = x.blend(lo, x.lt(lo)).blend(hi, hi.lt(x));
        FloatVector t = xc.fma(ScalarMath.LOG2E, ScalarMath.ROUND_MAGIC);
        FloatVector negK = FloatVector.broadcast(S, ScalarMath.ROUND_MAGIC).sub(t);
        FloatVector r = negK.fma(FloatVector.broadcast(S, ScalarMath.LN2_HI), xc);
        r = negK.fma(FloatVector.broadcast(S, ScalarMath.LN2_LO), r);
        FloatVector r2 = r.mul(r);
        FloatVector high = r2.fma(FloatVector.broadcast(S, ScalarMath.EXP_C6),
                r.fma(ScalarMath.EXP_C5, ScalarMath.EXP_C4));
        FloatVector p = r2.fma(high, r.fma(ScalarMath.EXP_C3, ScalarMath.EXP_C2));
        FloatVector y = p.fma(r2, r).add(1f);
        // 2^k as two factors, so that results near overflow and subnormal ones come out right.
        IntVector n = ((IntVector) t.reinterpretAsInts()).sub(Float.floatToRawIntBits(ScalarMath.ROUND_MAGIC));
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        FloatVector s1 = (FloatVector) n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = (FloatVector) n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    /**
     * Returns log(x), given special = {@link #logSpecial}(x). Two methods, and the log
     * polynomial's constants broadcast from scalars: as one method log passed C2's limit of 325
     * bytes of bytecode for inlining a hot method, and with vector constants in fields (which
     * fit) it ran 13% slower.
     */
    static FloatVector log(FloatVector x, FloatVector special) {
        VectorMask<Float> subnormal = x.lt(Float.MIN_NORMAL);
        IntVector bits = (IntVector) x.mul(ScalarMath.TWO_POW_23, subnormal).reinterpretAsInts();
        FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126)
                .convert(VectorOperators.I2F, 0);
        FloatVector m = (FloatVector) bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats();
        VectorMask<Float> low = m.lt(ScalarMath.SQRT_HALF);
        FloatVector f = m.add(m, low).sub(1f);
        FloatVector fe = e.sub(23f, subnormal).sub(1f, low);
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(ScalarMath.LOG_P0, ScalarMath.LOG_P1).fma(f, f.broadcast(ScalarMath.LOG_P2))
                .fma(f, f.broadcast(ScalarMath.LOG_P3)).fma(f, f.broadcast(ScalarMath.LOG_P4))
                .fma(f, f.broadcast(ScalarMath.LOG_P5)).fma(f, f.broadcast(ScalarMath.LOG_P6))
                .fma(f, f.broadcast(ScalarMath.LOG_P7)).fma(f, f.broadcast(ScalarMath.LOG_P8));
        FloatVector y = fe.fma(f.broadcast(ScalarMath.LN2_LO), p.mul(f).mul(z));
        y = z.fma(f.broadcast(-0.5f), y);
        return fe.fma(f.broadcast(ScalarMath.LN2_HI), f.add(y)).blend(special, special.compare(VectorOperators.NE, 0f));
    }

    /** log(x) where x is ±0, +Inf, negative or NaN (-Inf, +Inf, NaN), and 0 elsewhere, for {@link #log}. */
    static FloatVector logSpecial(FloatVector x) {
        return FloatVector.zero(S).blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY))
                .blend(Float.NaN, x.compare(VectorOperators.GE, 0f).not())
                .blend(Float.NEGATIVE_INFINITY, x.eq(0f));
    }

    /** tanh(x) for |x| < TANH_SMALL: x + x³·p(x²), and x itself at ±0. */
    static FloatVector tanhSmall(FloatVector x) {
        FloatVector z = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, ScalarMath.TANH_P0);
        p = p.fma(z, FloatVector.broadcast(S, ScalarMath.TANH_P1));
        p = p.fma(z, FloatVector.broadcast(S, ScalarMath.TANH_P2));
        p = p.fma(z, FloatVector.broadcast(S, ScalarMath.TANH_P3));
        p = p.fma(z, FloatVector.broadcast(S, ScalarMath.TANH_P4));
        return x.mul(z).fma(p, x).blend(x, x.compare(VectorOperators.EQ, 0f));
    }

    /** erf(x) for |x| < ERF_SMALL: x·q(x²). */
    static FloatVector erfSmall(FloatVector x) {
        FloatVector z = x.mul(x);
        return x.mul(ErfConstants.C6.fma(z, ErfConstants.C5).fma(z, ErfConstants.C4).fma(z, ErfConstants.C3)
                .fma(z, ErfConstants.C2).fma(z, ErfConstants.C1).fma(z, ErfConstants.C0));
    }

    /** p(t)·t with t = 1 / (1 + P·|x|): erf(x) = 1 - p(t)·t·e^(-x²) for x ≥ ERF_SMALL. */
    static FloatVector erfTail(FloatVector x) {
        FloatVector t = ErfConstants.ONE.div(x.abs().fma(ErfConstants.P, ErfConstants.ONE));
        return ErfConstants.A5.fma(t, ErfConstants.A4).fma(t, ErfConstants.A3).fma(t, ErfConstants.A2)
                .fma(t, ErfConstants.A1).mul(t);
    }

    /**
     * erf's constants as vectors, built once. Broadcast at each use, they made erf's graph (exp's
     * included) pass C2's inlining cutoff of 18,000 parsed nodes, so its last operations were
     * called instead of inlined and boxed every vector: 7x slower. Only erf needs this: for exp,
     * tanh, sigmoid and log, vectors loaded from fields measured 13-28% slower than broadcasts.
     */
    static final class ErfConstants {
        static final FloatVector ONE = FloatVector.broadcast(S, 1f);
        static final FloatVector P = FloatVector.broadcast(S, ScalarMath.ERF_P);
        static final FloatVector A1 = FloatVector.broadcast(S, ScalarMath.ERF_A1);
        static final FloatVector A2 = FloatVector.broadcast(S, ScalarMath.ERF_A2);
        static final FloatVector A3 = FloatVector.broadcast(S, ScalarMath.ERF_A3);
        static final FloatVector A4 = FloatVector.broadcast(S, ScalarMath.ERF_A4);
        static final FloatVector A5 = FloatVector.broadcast(S, ScalarMath.ERF_A5);
        static final FloatVector C0 = FloatVector.broadcast(S, ScalarMath.ERF_C0);
        static final FloatVector C1 = FloatVector.broadcast(S, ScalarMath.ERF_C1);
        static final FloatVector C2 = FloatVector.broadcast(S, ScalarMath.ERF_C2);
        static final FloatVector C3 = FloatVector.broadcast(S, ScalarMath.ERF_C3);
        static final FloatVector C4 = FloatVector.broadcast(S, ScalarMath.ERF_C4);
        static final FloatVector C5 = FloatVector.broadcast(S, ScalarMath.ERF_C5);
        static final FloatVector C6 = FloatVector.broadcast(S, ScalarMath.ERF_C6);
        static final FloatVector SMALL = FloatVector.broadcast(S, ScalarMath.ERF_SMALL);
    }
}
