package dev.nn.core.kernel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels on the Vector API: the only class that imports {@code jdk.incubator.vector}.
 *
 * <p>Every method repeats its {@link ScalarKernels} twin operation for operation, so both give
 * the same bits. {@link KernelProvider} loads it, through a holder class, only when the module
 * is present.
 */
final class SimdKernels implements Kernels {

    // static final: a species held anywhere else makes every vector operation many times slower.
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    // The GEMM tile is MR rows by two vectors (the narrow one 2·MR rows by one): 8 accumulators,
    // which C2 keeps in registers.
    private static final int NR = 2 * L;
    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
    // Half a vector, for the quarter tile (its rows are NR/4 = L/2 floats).
    private static final VectorSpecies<Float> SH = S.withShape(VectorShape.forBitSize(S.vectorBitSize() / 2));
    // Eight lanes, for the columns tile, halves and the packing transposes (S itself where L == 8).
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;
    // exp of x with |x| <= 86 is a normal float: k = round(x·log2e) is in [-124, 124] and e^r in
    // [0.70, 1.42], so y·2^k neither overflows nor goes subnormal. (One bound for both signs: the
    // test is then an abs and one compare, which ran exp 1-3% faster than two compares did with
    // [-86, 88].)
    private static final float EXP_NORMAL_ABS = 86f;
    // Transposes (on 8-lane vectors, where L >= 8) as exchanges of blocks: rows i and i + s trade
    // the upper s lanes of each 2s-lane block of row i for the lower s lanes of row i + s's, and
    // exchanges for s = 4, 2 and 1 transpose 8×8. Each new row is one one-vector rearrange and one blend
    // (UP_s moves lanes up by s, DOWN_s down; UPPER_s selects the upper s lanes of each block).
    // Zips by two-vector rearranges did the same in three rounds: 8×8 blocks (written out in
    // their loop) ran 2x faster this way on JDK 25 (A's 4×8 blocks 1.5x) and 12-15x on JDK 17,
    // where two-vector rearranges are slow. The first exchange is done by loads (see halves).
    private static final VectorShuffle<Float> UP_1 = shift(-1);
    private static final VectorShuffle<Float> UP_2 = shift(-2);
    private static final VectorShuffle<Float> DOWN_1 = shift(1);
    private static final VectorShuffle<Float> DOWN_2 = shift(2);
    private static final VectorMask<Float> UPPER_1 = upper(1);
    private static final VectorMask<Float> UPPER_2 = upper(2);
    private static final VectorMask<Float> HALVES = VectorMask.fromLong(S8, 0xF0);
    // After two exchanges packRowPanels holds (row bits, k's lowest) in lanes where the micro-panel
    // wants (k's lowest, row bits): lane n takes lane ((n >> 1) & 1)·4 + (n & 1)·2 + (n >> 2).
    // At 16 lanes, the transposes of B run on 8-lane vectors on JDK 25 (1.16-1.22 times the scalar
    // loop at the NT training shapes, Zen 5) but not on JDK 17, where they ran at 0.56-0.67 of it
    // (JDK 18-24 not measured). A's transposes gained on both (1.09 at 64x100x1000 and 1.93 at
    // 1000x100x64:TN on JDK 17).
    private static final boolean B_TRANSPOSES = L == 8 || L > 8 && Runtime.version().feature() >= 25;
    private static final VectorShuffle<Float> K_MAJOR = VectorShuffle.fromOp(S8,
            n -> ((n >> 1) & 1) * 4 + (n & 1) * 2 + (n >> 2));

    /** Lane l takes lane l + by where that is a lane, else its own (those lanes are blended away). */
    private static VectorShuffle<Float> shift(int by) {
        return VectorShuffle.fromOp(S8, l -> l + by >= 0 && l + by < 8 ? l + by : l);
    }

    /**
     * Lanes 0..3 from x[i..i+3] and lanes 4..7 from x[j..j+3] of an 8-lane vector (S itself at
     * L == 8), by two loads and a blend: for rows at i and j, their exchange of 4-lane blocks
     * without a permute.
     * Reads x[i..i+7] and x[j-4..j+3], which callers keep inside the array.
     */
    private static FloatVector halves(float[] x, int i, int j) {
        return FloatVector.fromArray(S8, x, i).blend(FloatVector.fromArray(S8, x, j - 4), HALVES);
    }

    private static VectorMask<Float> upper(int s) {
        boolean[] upper = new boolean[8];
        for (int l = 0; l < 8; l++) {
            upper[l] = l % (2 * s) >= s;
        }
        return VectorMask.fromArray(S8, upper, 0);
    }

    SimdKernels() {
        if (Gemm.MR != 4) {
            throw new AssertionError("the GEMM tiles are written for 4-row micro-panels, Gemm.MR is " + Gemm.MR);
        }
    }

    @Override
    public String name() {
        return "simd(" + L + " lanes)";
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
            y[yo + i] = ScalarKernels.apply(op, p, x[xo + i]);
        }
    }

    /**
     * The vector loop of each {@link UnaryOp}, a static method of {@link UnaryLoops} named
     * after the op in camel case; null for POW, which has no vector form bit-identical to
     * Math.pow (the scalar tail does it all).
     *
     * <p>Reached through method handles so that no compiled method holds the loops of two ops.
     * Called directly from one method (a switch, as before), C2 compiled the loops of every op
     * in use into that method, ran out of its node budget (NodeCountInliningCutoff) and called
     * exp, log or tanh instead of inlining them, boxing every vector: with exp and log both in
     * use, log ran 2.8x slower and allocated 16 bytes per float. A handle taken from an array is
     * not a constant, so C2 does not inline the loop into this method: each loop is compiled on
     * its own (or into the adapter the JDK makes for its handle alone), one op per compilation.
     * KernelAllocationTest runs the ops side by side and fails if any keeps allocating.
     */
    private static final MethodHandle[] UNARY_LOOPS = loops(UnaryLoops.class, UnaryOp.values(), EnumSet.of(UnaryOp.POW),
            MethodType.methodType(void.class, float.class, float[].class, int.class, float[].class, int.class,
                    int.class));
    private static final MethodType BINARY_LOOP_TYPE = MethodType.methodType(void.class, float[].class, int.class,
            int.class, float[].class, int.class, int.class, float[].class, int.class, int.class);

    /** Runs a loop of {@link #UNARY_LOOPS}. */
    private static void run(MethodHandle loop, float p, float[] x, int xo, float[] y, int yo, int bound) {
        try {
            loop.invokeExact(p, x, xo, y, yo, bound);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Runs a loop of {@link #BINARY_LOOPS} or {@link #PASSES}. */
    private static void run(MethodHandle loop, float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                            float[] y, int yo, int bound) {
        try {
            loop.invokeExact(a, ao, aInc, b, bo, bInc, y, yo, bound);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static <E extends Enum<E>> MethodHandle[] loops(Class<?> holder, E[] ops, Set<E> scalarOnly,
                                                            MethodType type) {
        MethodHandle[] loops = new MethodHandle[ops.length];
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (E op : ops) {
            if (scalarOnly.contains(op)) {
                continue;
            }
            String[] words = op.name().toLowerCase(Locale.ROOT).split("_");
            StringBuilder name = new StringBuilder(words[0]);
            for (int w = 1; w < words.length; w++) {
                name.append(Character.toUpperCase(words[w].charAt(0))).append(words[w], 1, words[w].length());
            }
            try {
                loops[op.ordinal()] = lookup.findStatic(holder, name.toString(), type);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("no vector loop for " + op, e);
            }
        }
        return loops;
    }

    /** One loop per {@link UnaryOp} over whole vectors, [0, bound), for {@link #UNARY_LOOPS}. */
    private static final class UnaryLoops {

        private UnaryLoops() {
        }

        private static void neg(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                v.neg().intoArray(y, yo + i);
            }
        }

        private static void abs(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                v.abs().intoArray(y, yo + i);
            }
        }

        private static void square(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                v.mul(v).intoArray(y, yo + i);
            }
        }

        private static void sqrt(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                v.sqrt().intoArray(y, yo + i);
            }
        }

        private static void exp(float p, float[] x, int xo, float[] y, int yo, int bound) {
            // Each branch stores its own result: no vector merges where they meet.
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                if (expNormal(v)) {
                    SimdKernels.exp(v, false).intoArray(y, yo + i);
                } else {
                    SimdKernels.exp(v, true).intoArray(y, yo + i);
                }
            }
        }

        private static void log(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                SimdKernels.log(v, logSpecial(v)).intoArray(y, yo + i);
            }
        }

        private static void tanh(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                FloatVector small = tanhSmall(v);
                FloatVector a = v.abs();
                FloatVector r = FloatVector.broadcast(S, 1f)
                        .sub(FloatVector.broadcast(S, 2f).div(SimdKernels.exp(a.add(a), true).add(1f)));
                r.blend(r.neg(), v.compare(VectorOperators.LT, 0f)).blend(small, a.lt(FloatMath.TANH_SMALL))
                        .intoArray(y, yo + i);
            }
        }

        private static void sigmoid(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                FloatVector.broadcast(S, 1f).div(SimdKernels.exp(v.neg(), true).add(1f)).intoArray(y, yo + i);
            }
        }

        private static void relu(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                v.blend(0f, v.compare(VectorOperators.LT, 0f)).intoArray(y, yo + i);
            }
        }

        private static void leakyRelu(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                v.mul(p).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
            }
        }

        private static void elu(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                SimdKernels.exp(v, true).sub(1f).mul(p).blend(v, v.compare(VectorOperators.GT, 0f))
                        .intoArray(y, yo + i);
            }
        }

        private static void selu(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                SimdKernels.exp(v, true).sub(1f).mul(ScalarKernels.SELU_ALPHA)
                        .blend(v, v.compare(VectorOperators.GT, 0f)).mul(ScalarKernels.SELU_SCALE)
                        .intoArray(y, yo + i);
            }
        }

        private static void silu(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                v.mul(FloatVector.broadcast(S, 1f).div(SimdKernels.exp(v.neg(), true).add(1f))).intoArray(y, yo + i);
            }
        }

        private static void erf(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                FloatVector small = erfSmall(v);
                FloatVector pt = erfTail(v);
                FloatVector r = ErfConstants.ONE.sub(pt.mul(SimdKernels.exp(v.mul(v).neg(), true)));
                IntVector sign = ((IntVector) v.reinterpretAsInts()).and(0x80000000);
                FloatVector large = (FloatVector) ((IntVector) r.abs().reinterpretAsInts()).or(sign)
                        .reinterpretAsFloats();
                large.blend(small, v.abs().lt(ErfConstants.SMALL)).intoArray(y, yo + i);
            }
        }

        // SOFTPLUS and MISH need exp and log (MISH tanh's exp too): in one loop C2 passed its node
        // cutoff and boxed (7.8 and 11.4 ms per million floats, 2.7x what they take now). So they
        // run in passes over blocks, each pass a loop of its own reached through a handle (so
        // compiled on its own), with a scratch block in between.
        private static void softplus(float p, float[] x, int xo, float[] y, int yo, int bound) {
            float[] s = SCRATCH.get();
            for (int b = 0; b < bound; b += BLOCK) {
                int m = Math.min(BLOCK, bound - b);
                run(PASSES[Pass.EXP_OF_MINUS_ABS.ordinal()], x, xo + b, 1, s, 0, 1, s, 0, m);
                run(PASSES[Pass.SOFTPLUS_FROM_EXP.ordinal()], x, xo + b, 1, s, 0, 1, y, yo + b, m);
            }
        }

        private static void softsign(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                v.div(v.abs().add(1f)).intoArray(y, yo + i);
            }
        }

        private static void geluTanh(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                FloatVector inner = v.mul(ScalarKernels.GELU_K).fma(v.mul(v), v).mul(ScalarKernels.GELU_C);
                FloatVector small = tanhSmall(inner);
                FloatVector a = inner.abs();
                FloatVector r = FloatVector.broadcast(S, 1f)
                        .sub(FloatVector.broadcast(S, 2f).div(SimdKernels.exp(a.add(a), true).add(1f)));
                FloatVector t = r.blend(r.neg(), inner.compare(VectorOperators.LT, 0f))
                        .blend(small, a.lt(FloatMath.TANH_SMALL));
                v.mul(0.5f).mul(t.add(1f)).intoArray(y, yo + i);
            }
        }

        private static void mish(float p, float[] x, int xo, float[] y, int yo, int bound) {
            float[] s = SCRATCH.get();
            for (int b = 0; b < bound; b += BLOCK) {
                int m = Math.min(BLOCK, bound - b);
                run(PASSES[Pass.EXP_OF_MINUS_ABS.ordinal()], x, xo + b, 1, s, 0, 1, s, 0, m);
                run(PASSES[Pass.SOFTPLUS_FROM_EXP.ordinal()], x, xo + b, 1, s, 0, 1, s, 0, m);
                run(UNARY_LOOPS[UnaryOp.TANH.ordinal()], 0f, s, 0, s, 0, m);
                run(BINARY_LOOPS[BinaryOp.MUL.ordinal()], x, xo + b, 1, s, 0, 1, y, yo + b, m);
            }
        }

        private static void reciprocal(float p, float[] x, int xo, float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                FloatVector.broadcast(S, 1f).div(v).intoArray(y, yo + i);
            }
        }
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
    //   in the tanh and GELU loops, erf's in the erf loop). The exp loop parses exp twice,
    //   once per branch; the first, without clamp or scaling, has not been seen to push the
    //   second past the cutoff;
    // - SOFTPLUS and MISH, which need both exp and log, run in passes (see UnaryLoops.softplus).
    // Before, tanh and erf called exp and log called a second half with fma helpers: one of them,
    // compiled on its own, at times passed the cutoff inside and grew to 2,600-6,600 bytes, and
    // from then on every loop calling it boxed. In KernelAllocationTest's loop on JDK 25, LOG
    // boxed in 4 runs of 40 (no op in 80 now); softplus and mish boxed always (now 2.7x faster).

    /** Whether |x| <= EXP_NORMAL_ABS in every lane (NaN included), so e^x is a normal float or NaN. */
    private static boolean expNormal(FloatVector x) {
        return !x.abs().compare(VectorOperators.GT, EXP_NORMAL_ABS).anyTrue();
    }

    /**
     * Returns e^x. With {@code anyRange} false, only for x where {@link #expNormal} holds: the
     * clamp is skipped (it would leave such x alone, so the bits are the same), and so is the
     * test for the scaling. Callers pass a constant, so C2 parses one side of each
     * {@code if (anyRange)} and no vector is merged at a branch inside.
     */
    private static FloatVector exp(FloatVector x, boolean anyRange) {
        // One method: split in three (a shortcut for normal results, the clamped path, the
        // polynomial they share), C2 at times called the polynomial and boxed every vector.
        FloatVector xc = x;
        if (anyRange) {
            // Clamped by compare and blend: max/min follow Math.max's NaN and -0 rules, five
            // instructions each on AVX2. NaN compares false and passes through, as through Math.max.
            FloatVector lo = FloatVector.broadcast(S, FloatMath.EXP_LO);
            FloatVector hi = FloatVector.broadcast(S, FloatMath.EXP_HI);
            xc = x.blend(lo, x.lt(lo)).blend(hi, hi.lt(x));
        }
        FloatVector t = xc.fma(FloatMath.LOG2E, FloatMath.ROUND_MAGIC);
        FloatVector negK = FloatVector.broadcast(S, FloatMath.ROUND_MAGIC).sub(t);
        FloatVector r = negK.fma(FloatVector.broadcast(S, FloatMath.LN2_HI), xc);
        r = negK.fma(FloatVector.broadcast(S, FloatMath.LN2_LO), r);
        FloatVector r2 = r.mul(r);
        FloatVector high = r2.fma(FloatVector.broadcast(S, FloatMath.EXP_C6),
                r.fma(FloatMath.EXP_C5, FloatMath.EXP_C4));
        FloatVector p = r2.fma(high, r.fma(FloatMath.EXP_C3, FloatMath.EXP_C2));
        FloatVector y = p.fma(r2, r).add(1f);
        IntVector tBits = (IntVector) t.reinterpretAsInts();
        // Where every lane's result is a normal float, 2^k is one exponent field (k + 127, with
        // the bias folded into the subtraction of the rounding constant); the two factors are for
        // the other lanes. Same bits: scaling a normal result by 2^n1 and then 2^n2 is exact,
        // like scaling by 2^n. (The test is expNormal's, written out.)
        if (!anyRange || !x.abs().compare(VectorOperators.GT, EXP_NORMAL_ABS).anyTrue()) {
            return y.mul((FloatVector) tBits.sub(Float.floatToRawIntBits(FloatMath.ROUND_MAGIC) - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
        }
        IntVector n = tBits.sub(Float.floatToRawIntBits(FloatMath.ROUND_MAGIC));
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
    private static FloatVector log(FloatVector x, FloatVector special) {
        VectorMask<Float> subnormal = x.lt(Float.MIN_NORMAL);
        IntVector bits = (IntVector) x.mul(FloatMath.TWO_POW_23, subnormal).reinterpretAsInts();
        FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126)
                .convert(VectorOperators.I2F, 0);
        FloatVector m = (FloatVector) bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats();
        VectorMask<Float> low = m.lt(FloatMath.SQRT_HALF);
        FloatVector f = m.add(m, low).sub(1f);
        FloatVector fe = e.sub(23f, subnormal).sub(1f, low);
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(FloatMath.LOG_P0, FloatMath.LOG_P1).fma(f, f.broadcast(FloatMath.LOG_P2))
                .fma(f, f.broadcast(FloatMath.LOG_P3)).fma(f, f.broadcast(FloatMath.LOG_P4))
                .fma(f, f.broadcast(FloatMath.LOG_P5)).fma(f, f.broadcast(FloatMath.LOG_P6))
                .fma(f, f.broadcast(FloatMath.LOG_P7)).fma(f, f.broadcast(FloatMath.LOG_P8));
        FloatVector y = fe.fma(f.broadcast(FloatMath.LN2_LO), p.mul(f).mul(z));
        y = z.fma(f.broadcast(-0.5f), y);
        return fe.fma(f.broadcast(FloatMath.LN2_HI), f.add(y)).blend(special, special.compare(VectorOperators.NE, 0f));
    }

    /** log(x) where x is ±0, +Inf, negative or NaN (-Inf, +Inf, NaN), and 0 elsewhere, for {@link #log}. */
    private static FloatVector logSpecial(FloatVector x) {
        return FloatVector.zero(S).blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY))
                .blend(Float.NaN, x.compare(VectorOperators.GE, 0f).not())
                .blend(Float.NEGATIVE_INFINITY, x.eq(0f));
    }

    /** tanh(x) for |x| < TANH_SMALL: x + x³·p(x²), and x itself at ±0. */
    private static FloatVector tanhSmall(FloatVector x) {
        FloatVector z = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, FloatMath.TANH_P0);
        p = p.fma(z, FloatVector.broadcast(S, FloatMath.TANH_P1));
        p = p.fma(z, FloatVector.broadcast(S, FloatMath.TANH_P2));
        p = p.fma(z, FloatVector.broadcast(S, FloatMath.TANH_P3));
        p = p.fma(z, FloatVector.broadcast(S, FloatMath.TANH_P4));
        return x.mul(z).fma(p, x).blend(x, x.compare(VectorOperators.EQ, 0f));
    }

    /** erf(x) for |x| < ERF_SMALL: x·q(x²). */
    private static FloatVector erfSmall(FloatVector x) {
        FloatVector z = x.mul(x);
        return x.mul(ErfConstants.C6.fma(z, ErfConstants.C5).fma(z, ErfConstants.C4).fma(z, ErfConstants.C3)
                .fma(z, ErfConstants.C2).fma(z, ErfConstants.C1).fma(z, ErfConstants.C0));
    }

    /** p(t)·t with t = 1 / (1 + P·|x|): erf(x) = 1 - p(t)·t·e^(-x²) for x ≥ ERF_SMALL. */
    private static FloatVector erfTail(FloatVector x) {
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
    private static final class ErfConstants {
        static final FloatVector ONE = FloatVector.broadcast(S, 1f);
        static final FloatVector P = FloatVector.broadcast(S, FloatMath.ERF_P);
        static final FloatVector A1 = FloatVector.broadcast(S, FloatMath.ERF_A1);
        static final FloatVector A2 = FloatVector.broadcast(S, FloatMath.ERF_A2);
        static final FloatVector A3 = FloatVector.broadcast(S, FloatMath.ERF_A3);
        static final FloatVector A4 = FloatVector.broadcast(S, FloatMath.ERF_A4);
        static final FloatVector A5 = FloatVector.broadcast(S, FloatMath.ERF_A5);
        static final FloatVector C0 = FloatVector.broadcast(S, FloatMath.ERF_C0);
        static final FloatVector C1 = FloatVector.broadcast(S, FloatMath.ERF_C1);
        static final FloatVector C2 = FloatVector.broadcast(S, FloatMath.ERF_C2);
        static final FloatVector C3 = FloatVector.broadcast(S, FloatMath.ERF_C3);
        static final FloatVector C4 = FloatVector.broadcast(S, FloatMath.ERF_C4);
        static final FloatVector C5 = FloatVector.broadcast(S, FloatMath.ERF_C5);
        static final FloatVector C6 = FloatVector.broadcast(S, FloatMath.ERF_C6);
        static final FloatVector SMALL = FloatVector.broadcast(S, FloatMath.ERF_SMALL);
    }

    /** The passes of SOFTPLUS and MISH, each a loop in {@link Passes}. */
    private enum Pass { EXP_OF_MINUS_ABS, SOFTPLUS_FROM_EXP }

    // Floats per pass: x's block, the scratch block and y's block stay in L1 (12 KB).
    private static final int BLOCK = 1024;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[BLOCK]);
    private static final MethodHandle[] PASSES = loops(Passes.class, Pass.values(), EnumSet.noneOf(Pass.class),
            BINARY_LOOP_TYPE);

    /** The loops of {@link Pass}, over whole vectors [0, bound), typed like {@link BinaryLoops} (incs unused). */
    private static final class Passes {

        private Passes() {
        }

        /** y = e^(-|a|). */
        private static void expOfMinusAbs(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                                          float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                SimdKernels.exp(FloatVector.fromArray(S, a, ao + i).abs().neg(), true).intoArray(y, yo + i);
            }
        }

        /** y = softplus(a) = max(a, 0) + log1p(u), given b = u = e^(-|a|); log1p(u) = log(w)·u/(w - 1), w = 1 + u. */
        private static void softplusFromExp(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                                            float[] y, int yo, int bound) {
            for (int i = 0; i < bound; i += L) {
                FloatVector u = FloatVector.fromArray(S, b, bo + i);
                FloatVector w = u.add(1f);
                FloatVector logW = SimdKernels.log(w, logSpecial(w));
                FloatVector d = w.sub(1f);
                FloatVector log1p = logW.mul(u.div(d)).blend(u, d.compare(VectorOperators.EQ, 0f));
                FloatVector.fromArray(S, a, ao + i).max(0f).add(log1p).intoArray(y, yo + i);
            }
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
            y[yo + i] = ScalarKernels.apply(op, a[ao + i * aInc], b[bo + i * bInc]);
        }
    }

    /** The vector loop of each {@link BinaryOp}, reached like {@link #UNARY_LOOPS} and for the same reason. */
    private static final MethodHandle[] BINARY_LOOPS = loops(BinaryLoops.class, BinaryOp.values(),
            EnumSet.noneOf(BinaryOp.class), BINARY_LOOP_TYPE);

    /**
     * One method per {@link BinaryOp} over whole vectors, [0, bound), with a loop for each form:
     * both operands contiguous, or one of them broadcast (inc 0, never both). A single loop
     * indexing {@code a[ao + i·aInc]} ran at 0.55-0.68x of these, and a vector chosen per form
     * inside one loop would be boxed.
     */
    private static final class BinaryLoops {

        private BinaryLoops() {
        }

        private static FloatVector at(float[] x, int offset) {
            return FloatVector.fromArray(S, x, offset);
        }

        private static void add(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                                float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).add(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    va.add(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).add(vb).intoArray(y, yo + i);
                }
            }
        }

        private static void sub(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                                float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).sub(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    va.sub(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).sub(vb).intoArray(y, yo + i);
                }
            }
        }

        private static void mul(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                                float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).mul(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    va.mul(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).mul(vb).intoArray(y, yo + i);
                }
            }
        }

        private static void div(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                                float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).div(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    va.div(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).div(vb).intoArray(y, yo + i);
                }
            }
        }

        private static void max(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                                float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).max(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    va.max(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).max(vb).intoArray(y, yo + i);
                }
            }
        }

        private static void min(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                                float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).min(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    va.min(at(b, bo + i)).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    at(a, ao + i).min(vb).intoArray(y, yo + i);
                }
            }
        }

        private static void gt(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                               float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.GT, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    ones(va.compare(VectorOperators.GT, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.GT, vb)).intoArray(y, yo + i);
                }
            }
        }

        private static void ge(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                               float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.GE, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    ones(va.compare(VectorOperators.GE, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.GE, vb)).intoArray(y, yo + i);
                }
            }
        }

        private static void lt(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                               float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.LT, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    ones(va.compare(VectorOperators.LT, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.LT, vb)).intoArray(y, yo + i);
                }
            }
        }

        private static void le(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                               float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.LE, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    ones(va.compare(VectorOperators.LE, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.LE, vb)).intoArray(y, yo + i);
                }
            }
        }

        private static void eq(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                               float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.EQ, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    ones(va.compare(VectorOperators.EQ, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.EQ, vb)).intoArray(y, yo + i);
                }
            }
        }

        private static void ne(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                               float[] y, int yo, int bound) {
            if (aInc == 1 && bInc == 1) {
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.NE, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else if (bInc == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (int i = 0; i < bound; i += L) {
                    ones(va.compare(VectorOperators.NE, at(b, bo + i))).intoArray(y, yo + i);
                }
            } else {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (int i = 0; i < bound; i += L) {
                    ones(at(a, ao + i).compare(VectorOperators.NE, vb)).intoArray(y, yo + i);
                }
            }
        }
    }

    private static FloatVector ones(VectorMask<Float> mask) {
        return FloatVector.zero(S).blend(1f, mask);
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

    @Override
    public void map(FloatFunction f, VectorFunction vf, float[] x, int xo, float[] y, int yo, int n) {
        assert xo >= 0 && yo >= 0 && xo + n <= x.length && yo + n <= y.length;
        int i = 0;
        if (vf != null) {
            for (int bound = S.loopBound(n); i < bound; i += L) {
                vf.apply(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
            }
        }
        for (; i < n; i++) {
            y[yo + i] = f.apply(x[xo + i]);
        }
    }

    @Override
    public void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, float[] vmax, int xo,
                     int n, float beta1, float beta2, float weightDecay, float stepSize, float bc2Sqrt, float eps) {
        assert po >= 0 && go >= 0 && mo >= 0 && vo >= 0 && po + n <= p.length;
        FloatVector b1 = FloatVector.broadcast(S, beta1);
        FloatVector b2 = FloatVector.broadcast(S, beta2);
        FloatVector c1 = FloatVector.broadcast(S, 1f - beta1);
        FloatVector c2 = FloatVector.broadcast(S, 1f - beta2);
        FloatVector wd = FloatVector.broadcast(S, weightDecay);
        FloatVector step = FloatVector.broadcast(S, -stepSize);
        FloatVector bc = FloatVector.broadcast(S, bc2Sqrt);
        FloatVector e = FloatVector.broadcast(S, eps);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector pi = FloatVector.fromArray(S, p, po + i);
            FloatVector gi = FloatVector.fromArray(S, g, go + i);
            if (weightDecay != 0f) {
                gi = gi.add(pi.mul(wd));
            }
            FloatVector mi = c1.fma(gi, FloatVector.fromArray(S, m, mo + i).mul(b1));
            FloatVector vi = c2.fma(gi.mul(gi), FloatVector.fromArray(S, v, vo + i).mul(b2));
            mi.intoArray(m, mo + i);
            vi.intoArray(v, vo + i);
            FloatVector w = vi;
            if (vmax != null) {
                w = FloatVector.fromArray(S, vmax, xo + i).max(vi);
                w.intoArray(vmax, xo + i);
            }
            FloatVector denom = w.sqrt().div(bc).add(e);
            step.fma(mi.div(denom), pi).intoArray(p, po + i);
        }
        ScalarKernels.INSTANCE.adam(p, po + i, g, go + i, m, mo + i, v, vo + i, vmax, xo + i, n - i, beta1, beta2,
                weightDecay, stepSize, bc2Sqrt, eps);
    }

    @Override
    public float sum(float[] x, int xo, int n) {
        if (L < 4 || L > REDUCTION_WIDTH) {
            return ScalarKernels.INSTANCE.sum(x, xo, n);
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
        return ScalarKernels.combine(partial);
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

    @Override
    public void packPanels(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff) {
        // Two vectors per panel row: C2 would run a 16-float copy loop in its scalar pre- and
        // post-loops (its vector main loop is unrolled wider than 16), at several cycles a float.
        for (int p = 0; p < rows; p++) {
            int s = bo + p * ldb;
            for (int q = 0; q < panels; q++) {
                int d = dOff + (q * rows + p) * NR;
                FloatVector.fromArray(S, b, s + q * NR).intoArray(dst, d);
                FloatVector.fromArray(S, b, s + q * NR + L).intoArray(dst, d + L);
            }
        }
    }

    @Override
    public void packPanelsTransposed(float[] b, int bo, int ldb, int rows, int panels, float[] dst, int dOff) {
        // 8×8 blocks transposed in registers by exchanges of 4×4, 2×2 and 1×1 blocks (see
        // UP_1) on 8-lane vectors, also at 16 lanes where B_TRANSPOSES says so (a panel row is
        // then four blocks wide); otherwise the scalar twin's loop. The
        // transpose is written out in the loop: as a method of its own C2 did not inline it (too
        // large), and rebuilt its masks and shuffles and checked every load's range per block
        // (0.29-0.35 against 0.21 ns a float, JDK 25).
        int blocked = B_TRANSPOSES ? rows & ~7 : 0;
        for (int q = 0; q < panels; q++) {
            int d = dOff + q * rows * NR;
            for (int j = 0; j < NR; j += 8) {
                int s = bo + (q * NR + j) * ldb;
                for (int p = 0; p < blocked; p += 8) {
                    // The 8×8 block at rows s0..s7 (of B's storage) goes to eight rows of the
                    // panel from o. Every read lies between s0 and s7 + 7.
                    int s0 = s + p;
                    int s1 = s0 + ldb;
                    int s2 = s1 + ldb;
                    int s3 = s2 + ldb;
                    int s4 = s3 + ldb;
                    int s5 = s4 + ldb;
                    int s6 = s5 + ldb;
                    int s7 = s6 + ldb;
                    FloatVector t0 = halves(b, s0, s4);
                    FloatVector t1 = halves(b, s1, s5);
                    FloatVector t2 = halves(b, s2, s6);
                    FloatVector t3 = halves(b, s3, s7);
                    FloatVector t4 = halves(b, s0 + 4, s4 + 4);
                    FloatVector t5 = halves(b, s1 + 4, s5 + 4);
                    FloatVector t6 = halves(b, s2 + 4, s6 + 4);
                    FloatVector t7 = halves(b, s3 + 4, s7 + 4);
                    FloatVector u0 = t0.blend(t2.rearrange(UP_2), UPPER_2);
                    FloatVector u2 = t0.rearrange(DOWN_2).blend(t2, UPPER_2);
                    FloatVector u1 = t1.blend(t3.rearrange(UP_2), UPPER_2);
                    FloatVector u3 = t1.rearrange(DOWN_2).blend(t3, UPPER_2);
                    FloatVector u4 = t4.blend(t6.rearrange(UP_2), UPPER_2);
                    FloatVector u6 = t4.rearrange(DOWN_2).blend(t6, UPPER_2);
                    FloatVector u5 = t5.blend(t7.rearrange(UP_2), UPPER_2);
                    FloatVector u7 = t5.rearrange(DOWN_2).blend(t7, UPPER_2);
                    int o = d + p * NR + j;
                    u0.blend(u1.rearrange(UP_1), UPPER_1).intoArray(dst, o);
                    u0.rearrange(DOWN_1).blend(u1, UPPER_1).intoArray(dst, o + NR);
                    u2.blend(u3.rearrange(UP_1), UPPER_1).intoArray(dst, o + 2 * NR);
                    u2.rearrange(DOWN_1).blend(u3, UPPER_1).intoArray(dst, o + 3 * NR);
                    u4.blend(u5.rearrange(UP_1), UPPER_1).intoArray(dst, o + 4 * NR);
                    u4.rearrange(DOWN_1).blend(u5, UPPER_1).intoArray(dst, o + 5 * NR);
                    u6.blend(u7.rearrange(UP_1), UPPER_1).intoArray(dst, o + 6 * NR);
                    u6.rearrange(DOWN_1).blend(u7, UPPER_1).intoArray(dst, o + 7 * NR);
                }
                for (int jj = j; jj < j + 8; jj++) {
                    int src = bo + (q * NR + jj) * ldb;
                    for (int p = blocked; p < rows; p++) {
                        dst[d + p * NR + jj] = b[src + p];
                    }
                }
            }
        }
    }

    @Override
    public void packRowPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst) {
        // Four rows of eight k values into k-major order in 8-lane registers, also at 16 lanes
        // (packing 64x1000 took 5 µs instead of the scalar loop's 13, on a Zen 5); with 4 lanes,
        // the scalar twin's loop. The loads give vector = row, lane = k; the micro-panel wants
        // vector = k / 2, lane = (k % 2)·4 + row: two exchanges of blocks and one rearrange.
        int blocked = L >= 8 ? kc & ~7 : 0;
        for (int r = 0; r < panels; r++) {
            int s = ao + r * Gemm.MR * lda;
            int d = r * kc * Gemm.MR;
            for (int p = 0; p < blocked; p += 8) {
                int s0 = s + p;
                int s1 = s0 + lda;
                int s2 = s1 + lda;
                int s3 = s2 + lda;
                // Rows i and i + 2 exchange halves (every read lies between s0 and s3 + 7): t0
                // holds k 0-3 of rows 0 and 2, t2 k 4-7 of them.
                FloatVector t0 = halves(a, s0, s2);
                FloatVector t1 = halves(a, s1, s3);
                FloatVector t2 = halves(a, s0 + 4, s2 + 4);
                FloatVector t3 = halves(a, s1 + 4, s3 + 4);
                // Then rows' lowest bit for k's second: vector m now holds k 2m and 2m + 1.
                FloatVector u0 = t0.blend(t1.rearrange(UP_2), UPPER_2);
                FloatVector u1 = t0.rearrange(DOWN_2).blend(t1, UPPER_2);
                FloatVector u2 = t2.blend(t3.rearrange(UP_2), UPPER_2);
                FloatVector u3 = t2.rearrange(DOWN_2).blend(t3, UPPER_2);
                int o = d + p * Gemm.MR;
                u0.rearrange(K_MAJOR).intoArray(dst, o);
                u1.rearrange(K_MAJOR).intoArray(dst, o + 8);
                u2.rearrange(K_MAJOR).intoArray(dst, o + 16);
                u3.rearrange(K_MAJOR).intoArray(dst, o + 24);
            }
            for (int i = 0; i < Gemm.MR; i++) {
                for (int p = blocked; p < kc; p++) {
                    dst[d + p * Gemm.MR + i] = a[s + i * lda + p];
                }
            }
        }
    }

    @Override
    public void packColumnPanels(float[] a, int ao, int lda, int kc, int panels, float[] dst) {
        // With 8 lanes or more, pairs of micro-panels (8 columns of A) two k at a time: each store is
        // two k's rows of one micro-panel, joined by two loads and a blend. Copied 4 floats at a
        // time by 128-bit vectors instead, 1000x100x64:TN ran on JDK 17 at half its speed on JDK
        // 25 (C2's profile at intoArray held Float128 and Float256); now alike (JDK 25 unchanged).
        int paired = L >= 8 ? panels & ~1 : 0;
        int evenK = kc & ~1;
        for (int r = 0; r < paired; r += 2) {
            int s = ao + r * Gemm.MR;
            int d0 = r * kc * Gemm.MR;
            int d1 = d0 + kc * Gemm.MR;
            for (int p = 0; p < evenK; p += 2) {
                int s0 = s + p * lda;
                int s1 = s0 + lda;
                // Reads s0..s0+11 and s1-4..s1+7, all in rows p and p + 1 (lda >= 8).
                halves(a, s0, s1).intoArray(dst, d0 + p * Gemm.MR);
                halves(a, s0 + 4, s1 + 4).intoArray(dst, d1 + p * Gemm.MR);
            }
        }
        // What the pairs left (their last k when kc is odd, a last odd micro-panel), or, with 4
        // lanes, everything: one 4-float row of a micro-panel per k (at 16 lanes too).
        for (int r = 0; r < panels; r++) {
            int s = ao + r * Gemm.MR;
            int d = r * kc * Gemm.MR;
            int p = r < paired ? evenK : 0;
            if (L != 8) {
                for (; p < kc; p++) {
                    FloatVector.fromArray(S4, a, s + p * lda).intoArray(dst, d + p * Gemm.MR);
                }
            }
            for (; p < kc; p++) {
                for (int i = 0; i < Gemm.MR; i++) {
                    dst[d + p * Gemm.MR + i] = a[s + p * lda + i];
                }
            }
        }
    }

    @Override
    public int gemmNr() {
        return NR;
    }

    @Override
    public void gemmTile(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                         float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        // Indices linear in k let C2 hoist the range checks out of the loop. Not unrolled by hand:
        // with k += 2, C2 kept range checks and a safepoint poll in the loop; with a pair counter
        // it hoisted all eight broadcasts and four loads, and four accumulators went to the stack
        // (whole GEMMs 5-20% slower, JDK 25).
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * Gemm.MR;
            int bk = bo + k * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int c1 = co + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        // Both branches consume the accumulators; neither defines a vector used after the merge
        // (a vector merged at a branch is boxed).
        if (accumulate) {
            c00.fma(va, FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.fma(va, FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
            c10.fma(va, FloatVector.fromArray(S, c, c1)).intoArray(c, c1);
            c11.fma(va, FloatVector.fromArray(S, c, c1 + L)).intoArray(c, c1 + L);
            c20.fma(va, FloatVector.fromArray(S, c, c2)).intoArray(c, c2);
            c21.fma(va, FloatVector.fromArray(S, c, c2 + L)).intoArray(c, c2 + L);
            c30.fma(va, FloatVector.fromArray(S, c, c3)).intoArray(c, c3);
            c31.fma(va, FloatVector.fromArray(S, c, c3 + L)).intoArray(c, c3 + L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00.fma(va, zero).intoArray(c, co);
            c01.fma(va, zero).intoArray(c, co + L);
            c10.fma(va, zero).intoArray(c, c1);
            c11.fma(va, zero).intoArray(c, c1 + L);
            c20.fma(va, zero).intoArray(c, c2);
            c21.fma(va, zero).intoArray(c, c2 + L);
            c30.fma(va, zero).intoArray(c, c3);
            c31.fma(va, zero).intoArray(c, c3 + L);
        }
    }

    @Override
    public void gemmTiles(int kc, float[] a, int ao, int aStep, float[] b, int bo, int bStep, int tiles, float alpha,
                          float[] c, int co, int cStep, int ldc) {
        // gemmTile's body again, in a loop over tiles: a call costs about 20 ns, 7-13% of a tile
        // at kc = 64-128. Store-only, and kept apart from gemmTile (neither calls the other), so
        // that C2 compiles it for what it does: with gemmTile's accumulate branch in it, once both
        // branches had run its k loop spilled B's base and offset (seen in the disassembly, JDK
        // 25), and products ran at 0.72-0.90 of the speed they have now.
        for (int t = 0; t < tiles; t++) {
            int at = ao + t * aStep;
            int bt = bo + t * bStep;
            int ct = co + t * cStep;
            FloatVector c00 = FloatVector.zero(S);
            FloatVector c01 = c00;
            FloatVector c10 = c00;
            FloatVector c11 = c00;
            FloatVector c20 = c00;
            FloatVector c21 = c00;
            FloatVector c30 = c00;
            FloatVector c31 = c00;
            for (int k = 0; k < kc; k++) {
                int ak = at + k * Gemm.MR;
                int bk = bt + k * NR;
                FloatVector b0 = FloatVector.fromArray(S, b, bk);
                FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
                FloatVector a0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(a0, c00);
                c01 = b1.fma(a0, c01);
                FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
                c10 = b0.fma(a1, c10);
                c11 = b1.fma(a1, c11);
                FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
                c20 = b0.fma(a2, c20);
                c21 = b1.fma(a2, c21);
                FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
                c30 = b0.fma(a3, c30);
                c31 = b1.fma(a3, c31);
            }
            FloatVector va = FloatVector.broadcast(S, alpha);
            int c1 = ct + ldc;
            int c2 = c1 + ldc;
            int c3 = c2 + ldc;
            FloatVector zero = FloatVector.zero(S);
            c00.fma(va, zero).intoArray(c, ct);
            c01.fma(va, zero).intoArray(c, ct + L);
            c10.fma(va, zero).intoArray(c, c1);
            c11.fma(va, zero).intoArray(c, c1 + L);
            c20.fma(va, zero).intoArray(c, c2);
            c21.fma(va, zero).intoArray(c, c2 + L);
            c30.fma(va, zero).intoArray(c, c3);
            c31.fma(va, zero).intoArray(c, c3 + L);
        }
    }

    @Override
    public void gemmTileTall(int kc, float[] a, int ao, float[] b, int bo, float alpha,
                             float[] c, int co, int ldc) {
        // gemmTile's body for two A micro-panels: 16 accumulators, for cores with two FMA units
        // (a 4-cycle latency times two units wants at least 8 FMAs in flight, and the 4-row tile
        // has exactly 8). Two B loads and eight broadcasts per k feed 16 FMAs. It only
        // accumulates (gemmTilesTall stores): with both epilogues, about 110 Vector API calls,
        // its compilation could pass C2's node cutoff for inlining, and then boxed two vectors
        // a call in some JVMs (KernelAllocationTest, in the whole suite only).
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        int next = ao + kc * Gemm.MR;
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * Gemm.MR;
            int an = next + k * Gemm.MR;
            int bk = bo + k * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[an]);
            c40 = b0.fma(a4, c40);
            c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[an + 1]);
            c50 = b0.fma(a5, c50);
            c51 = b1.fma(a5, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[an + 2]);
            c60 = b0.fma(a6, c60);
            c61 = b1.fma(a6, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[an + 3]);
            c70 = b0.fma(a7, c70);
            c71 = b1.fma(a7, c71);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int c1 = co + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        int c6 = c5 + ldc;
        int c7 = c6 + ldc;
        c00.fma(va, FloatVector.fromArray(S, c, co)).intoArray(c, co);
        c01.fma(va, FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
        c10.fma(va, FloatVector.fromArray(S, c, c1)).intoArray(c, c1);
        c11.fma(va, FloatVector.fromArray(S, c, c1 + L)).intoArray(c, c1 + L);
        c20.fma(va, FloatVector.fromArray(S, c, c2)).intoArray(c, c2);
        c21.fma(va, FloatVector.fromArray(S, c, c2 + L)).intoArray(c, c2 + L);
        c30.fma(va, FloatVector.fromArray(S, c, c3)).intoArray(c, c3);
        c31.fma(va, FloatVector.fromArray(S, c, c3 + L)).intoArray(c, c3 + L);
        c40.fma(va, FloatVector.fromArray(S, c, c4)).intoArray(c, c4);
        c41.fma(va, FloatVector.fromArray(S, c, c4 + L)).intoArray(c, c4 + L);
        c50.fma(va, FloatVector.fromArray(S, c, c5)).intoArray(c, c5);
        c51.fma(va, FloatVector.fromArray(S, c, c5 + L)).intoArray(c, c5 + L);
        c60.fma(va, FloatVector.fromArray(S, c, c6)).intoArray(c, c6);
        c61.fma(va, FloatVector.fromArray(S, c, c6 + L)).intoArray(c, c6 + L);
        c70.fma(va, FloatVector.fromArray(S, c, c7)).intoArray(c, c7);
        c71.fma(va, FloatVector.fromArray(S, c, c7 + L)).intoArray(c, c7 + L);
    }

    @Override
    public void gemmTilesTall(int kc, float[] a, int ao, int aStep, float[] b, int bo, int bStep, int tiles,
                              float alpha, float[] c, int co, int cStep, int ldc) {
        // gemmTileTall's body in a loop over tiles, store-only, kept apart from it as gemmTiles is
        // from gemmTile.
        for (int t = 0; t < tiles; t++) {
            int at = ao + t * aStep;
            int bt = bo + t * bStep;
            int ct = co + t * cStep;
            FloatVector c00 = FloatVector.zero(S);
            FloatVector c01 = c00;
            FloatVector c10 = c00;
            FloatVector c11 = c00;
            FloatVector c20 = c00;
            FloatVector c21 = c00;
            FloatVector c30 = c00;
            FloatVector c31 = c00;
            FloatVector c40 = c00;
            FloatVector c41 = c00;
            FloatVector c50 = c00;
            FloatVector c51 = c00;
            FloatVector c60 = c00;
            FloatVector c61 = c00;
            FloatVector c70 = c00;
            FloatVector c71 = c00;
            int next = at + kc * Gemm.MR;
            for (int k = 0; k < kc; k++) {
                int ak = at + k * Gemm.MR;
                int an = next + k * Gemm.MR;
                int bk = bt + k * NR;
                FloatVector b0 = FloatVector.fromArray(S, b, bk);
                FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
                FloatVector a0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(a0, c00);
                c01 = b1.fma(a0, c01);
                FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
                c10 = b0.fma(a1, c10);
                c11 = b1.fma(a1, c11);
                FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
                c20 = b0.fma(a2, c20);
                c21 = b1.fma(a2, c21);
                FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
                c30 = b0.fma(a3, c30);
                c31 = b1.fma(a3, c31);
                FloatVector a4 = FloatVector.broadcast(S, a[an]);
                c40 = b0.fma(a4, c40);
                c41 = b1.fma(a4, c41);
                FloatVector a5 = FloatVector.broadcast(S, a[an + 1]);
                c50 = b0.fma(a5, c50);
                c51 = b1.fma(a5, c51);
                FloatVector a6 = FloatVector.broadcast(S, a[an + 2]);
                c60 = b0.fma(a6, c60);
                c61 = b1.fma(a6, c61);
                FloatVector a7 = FloatVector.broadcast(S, a[an + 3]);
                c70 = b0.fma(a7, c70);
                c71 = b1.fma(a7, c71);
            }
            FloatVector va = FloatVector.broadcast(S, alpha);
            int c1 = ct + ldc;
            int c2 = c1 + ldc;
            int c3 = c2 + ldc;
            int c4 = c3 + ldc;
            int c5 = c4 + ldc;
            int c6 = c5 + ldc;
            int c7 = c6 + ldc;
            FloatVector zero = FloatVector.zero(S);
            c00.fma(va, zero).intoArray(c, ct);
            c01.fma(va, zero).intoArray(c, ct + L);
            c10.fma(va, zero).intoArray(c, c1);
            c11.fma(va, zero).intoArray(c, c1 + L);
            c20.fma(va, zero).intoArray(c, c2);
            c21.fma(va, zero).intoArray(c, c2 + L);
            c30.fma(va, zero).intoArray(c, c3);
            c31.fma(va, zero).intoArray(c, c3 + L);
            c40.fma(va, zero).intoArray(c, c4);
            c41.fma(va, zero).intoArray(c, c4 + L);
            c50.fma(va, zero).intoArray(c, c5);
            c51.fma(va, zero).intoArray(c, c5 + L);
            c60.fma(va, zero).intoArray(c, c6);
            c61.fma(va, zero).intoArray(c, c6 + L);
            c70.fma(va, zero).intoArray(c, c7);
            c71.fma(va, zero).intoArray(c, c7 + L);
        }
    }

    @Override
    public void gemmTileNarrow(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                               float[] c, int co, int ldc) {
        // Eight rows of one vector: eight accumulators again, with one B load and eight
        // broadcasts per k (the 4×NR tile has two and four).
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        int next = ao + kc * Gemm.MR;
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * Gemm.MR;
            int an = next + k * Gemm.MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + k * NR);
            c0 = b0.fma(FloatVector.broadcast(S, a[ak]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, a[ak + 1]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, a[ak + 2]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, a[ak + 3]), c3);
            c4 = b0.fma(FloatVector.broadcast(S, a[an]), c4);
            c5 = b0.fma(FloatVector.broadcast(S, a[an + 1]), c5);
            c6 = b0.fma(FloatVector.broadcast(S, a[an + 2]), c6);
            c7 = b0.fma(FloatVector.broadcast(S, a[an + 3]), c7);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        if (accumulate) {
            c0.fma(va, FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c1.fma(va, FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c2.fma(va, FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c3.fma(va, FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c4.fma(va, FloatVector.fromArray(S, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
            c5.fma(va, FloatVector.fromArray(S, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
            c6.fma(va, FloatVector.fromArray(S, c, co + 6 * ldc)).intoArray(c, co + 6 * ldc);
            c7.fma(va, FloatVector.fromArray(S, c, co + 7 * ldc)).intoArray(c, co + 7 * ldc);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c0.fma(va, zero).intoArray(c, co);
            c1.fma(va, zero).intoArray(c, co + ldc);
            c2.fma(va, zero).intoArray(c, co + 2 * ldc);
            c3.fma(va, zero).intoArray(c, co + 3 * ldc);
            c4.fma(va, zero).intoArray(c, co + 4 * ldc);
            c5.fma(va, zero).intoArray(c, co + 5 * ldc);
            c6.fma(va, zero).intoArray(c, co + 6 * ldc);
            c7.fma(va, zero).intoArray(c, co + 7 * ldc);
        }
    }

    @Override
    public void gemmTileQuarter(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                                float[] c, int co, int ldc) {
        // gemmTileNarrow's body on half vectors (a species must be a constant, so the body is
        // written out again): at NR = 32, 16 lanes, a last panel of 5 to 8 columns leaves at
        // least half of the narrow tile's 16 columns padding.
        FloatVector c0 = FloatVector.zero(SH);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        int next = ao + kc * Gemm.MR;
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * Gemm.MR;
            int an = next + k * Gemm.MR;
            FloatVector b0 = FloatVector.fromArray(SH, b, bo + k * NR);
            c0 = b0.fma(FloatVector.broadcast(SH, a[ak]), c0);
            c1 = b0.fma(FloatVector.broadcast(SH, a[ak + 1]), c1);
            c2 = b0.fma(FloatVector.broadcast(SH, a[ak + 2]), c2);
            c3 = b0.fma(FloatVector.broadcast(SH, a[ak + 3]), c3);
            c4 = b0.fma(FloatVector.broadcast(SH, a[an]), c4);
            c5 = b0.fma(FloatVector.broadcast(SH, a[an + 1]), c5);
            c6 = b0.fma(FloatVector.broadcast(SH, a[an + 2]), c6);
            c7 = b0.fma(FloatVector.broadcast(SH, a[an + 3]), c7);
        }
        FloatVector va = FloatVector.broadcast(SH, alpha);
        if (accumulate) {
            c0.fma(va, FloatVector.fromArray(SH, c, co)).intoArray(c, co);
            c1.fma(va, FloatVector.fromArray(SH, c, co + ldc)).intoArray(c, co + ldc);
            c2.fma(va, FloatVector.fromArray(SH, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c3.fma(va, FloatVector.fromArray(SH, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c4.fma(va, FloatVector.fromArray(SH, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
            c5.fma(va, FloatVector.fromArray(SH, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
            c6.fma(va, FloatVector.fromArray(SH, c, co + 6 * ldc)).intoArray(c, co + 6 * ldc);
            c7.fma(va, FloatVector.fromArray(SH, c, co + 7 * ldc)).intoArray(c, co + 7 * ldc);
        } else {
            FloatVector zero = FloatVector.zero(SH);
            c0.fma(va, zero).intoArray(c, co);
            c1.fma(va, zero).intoArray(c, co + ldc);
            c2.fma(va, zero).intoArray(c, co + 2 * ldc);
            c3.fma(va, zero).intoArray(c, co + 3 * ldc);
            c4.fma(va, zero).intoArray(c, co + 4 * ldc);
            c5.fma(va, zero).intoArray(c, co + 5 * ldc);
            c6.fma(va, zero).intoArray(c, co + 6 * ldc);
            c7.fma(va, zero).intoArray(c, co + 7 * ldc);
        }
    }

    @Override
    public void gemmTileColumns(int kc, float[] a, int ao, float[] b, int bo, float alpha, boolean accumulate,
                                float[] c, int co, int ldc) {
        if (L < 8) {
            // Gemm calls it only where NR is at least 4·MR, 8 lanes or more.
            ScalarKernels.tileColumns(NR, kc, a, ao, b, bo, alpha, accumulate, c, co, ldc);
            return;
        }
        // Vectors of eight lanes (S itself at L = 8, half of it at 16) run down C's columns: eight
        // rows (two micro-panels' MR values, joined by halves) times one broadcast B value. Eight
        // accumulators, as in the other tiles; per k, four loads and two blends of A and four
        // broadcasts for eight fmas, where a narrow tile spends one load and eight broadcasts on
        // eight fmas of which, at four columns of 16, half are padding (at 4 of 32, three quarters).
        FloatVector c00 = FloatVector.zero(S8);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        int a1 = ao + kc * Gemm.MR;
        int a2 = a1 + kc * Gemm.MR;
        int a3 = a2 + kc * Gemm.MR;
        for (int k = 0; k < kc; k++) {
            int ak = k * Gemm.MR;
            int bk = bo + k * NR;
            // Rows 0-7 and 8-15; the loads stay inside the four micro-panels.
            FloatVector low = halves(a, ao + ak, a1 + ak);
            FloatVector high = halves(a, a2 + ak, a3 + ak);
            FloatVector b0 = FloatVector.broadcast(S8, b[bk]);
            c00 = low.fma(b0, c00);
            c01 = high.fma(b0, c01);
            FloatVector b1 = FloatVector.broadcast(S8, b[bk + 1]);
            c10 = low.fma(b1, c10);
            c11 = high.fma(b1, c11);
            FloatVector b2 = FloatVector.broadcast(S8, b[bk + 2]);
            c20 = low.fma(b2, c20);
            c21 = high.fma(b2, c21);
            FloatVector b3 = FloatVector.broadcast(S8, b[bk + 3]);
            c30 = low.fma(b3, c30);
            c31 = high.fma(b3, c31);
        }
        // Column j at c[co + j·ldc], two vectors: gemmTile's stores, written out again (a method
        // taking the eight accumulators boxes them wherever C2 does not inline it).
        FloatVector va = FloatVector.broadcast(S8, alpha);
        int c1 = co + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        if (accumulate) {
            c00.fma(va, FloatVector.fromArray(S8, c, co)).intoArray(c, co);
            c01.fma(va, FloatVector.fromArray(S8, c, co + 8)).intoArray(c, co + 8);
            c10.fma(va, FloatVector.fromArray(S8, c, c1)).intoArray(c, c1);
            c11.fma(va, FloatVector.fromArray(S8, c, c1 + 8)).intoArray(c, c1 + 8);
            c20.fma(va, FloatVector.fromArray(S8, c, c2)).intoArray(c, c2);
            c21.fma(va, FloatVector.fromArray(S8, c, c2 + 8)).intoArray(c, c2 + 8);
            c30.fma(va, FloatVector.fromArray(S8, c, c3)).intoArray(c, c3);
            c31.fma(va, FloatVector.fromArray(S8, c, c3 + 8)).intoArray(c, c3 + 8);
        } else {
            FloatVector zero = FloatVector.zero(S8);
            c00.fma(va, zero).intoArray(c, co);
            c01.fma(va, zero).intoArray(c, co + 8);
            c10.fma(va, zero).intoArray(c, c1);
            c11.fma(va, zero).intoArray(c, c1 + 8);
            c20.fma(va, zero).intoArray(c, c2);
            c21.fma(va, zero).intoArray(c, c2 + 8);
            c30.fma(va, zero).intoArray(c, c3);
            c31.fma(va, zero).intoArray(c, c3 + 8);
        }
    }
}
