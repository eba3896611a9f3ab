package dev.nn.core.kernel;

import java.lang.invoke.MethodHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One vector loop per {@link UnaryOp} over whole vectors, [0, bound), each an
 * {@link SimdElementwise.UnaryLoop} in {@code SimdElementwise}'s table; the scalar twin does the
 * tails. The vector math is {@link SimdMath}'s, combined only here (see its comment).
 */
final class SimdUnaryLoops {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    // Floats per pass of SOFTPLUS and MISH: x's block, the scratch block and y's block stay in L1 (12 KB).
    private static final int BLOCK = 1024;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[BLOCK]);
    // The passes of SOFTPLUS and MISH, each a loop below reached through a handle, so compiled on its own.
    private static final MethodHandle[] PASSES = {SimdElementwise.handle(SimdUnaryLoops::expOfMinusAbs),
        SimdElementwise.handle(SimdUnaryLoops::softplusFromExp)};
    private static final int EXP_OF_MINUS_ABS = 0;
    private static final int SOFTPLUS_FROM_EXP = 1;

    private SimdUnaryLoops() {
    }

    static void neg(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.neg().intoArray(y, yo + i);
        }
    }

    static void abs(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.abs().intoArray(y, yo + i);
        }
    }

    static void square(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(y, yo + i);
        }
    }

    static void sqrt(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.sqrt().intoArray(y, yo + i);
        }
    }

    static void exp(float p, float[] x, int xo, float[] y, int yo, int bound) {
        // Each branch stores its own result: no vector merges where they meet.
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            if (SimdMath.expNormal(v)) {
                SimdMath.expNormalRange(v).intoArray(y, yo + i);
            } else {
                SimdMath.exp(v).intoArray(y, yo + i);
            }
        }
    }

    static void log(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            SimdMath.log(v, SimdMath.logSpecial(v)).intoArray(y, yo + i);
        }
    }

    static void tanh(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector small = SimdMath.tanhSmall(v);
            FloatVector a = v.abs();
            FloatVector r = FloatVector.broadcast(S, 1f)
                    .sub(FloatVector.broadcast(S, 2f).div(SimdMath.exp(a.add(a)).add(1f)));
            r.blend(r.neg(), v.compare(VectorOperators.LT, 0f)).blend(small, a.lt(ScalarMath.TANH_SMALL))
                    .intoArray(y, yo + i);
        }
    }

    static void sigmoid(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            // As the exp loop, for its speed (SiLU forward and backward ran 1.11x slower without).
            if (SimdMath.expNormal(v)) {
                FloatVector.broadcast(S, 1f).div(SimdMath.expNormalRange(v.neg()).add(1f)).intoArray(y, yo + i);
            } else {
                FloatVector.broadcast(S, 1f).div(SimdMath.exp(v.neg()).add(1f)).intoArray(y, yo + i);
            }
        }
    }

    static void relu(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(0f, v.compare(VectorOperators.LT, 0f)).intoArray(y, yo + i);
        }
    }

    static void leakyRelu(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(p).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
        }
    }

    static void elu(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            SimdMath.exp(v).sub(1f).mul(p).blend(v, v.compare(VectorOperators.GT, 0f))
                    .intoArray(y, yo + i);
        }
    }

    static void selu(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            SimdMath.exp(v).sub(1f).mul(ScalarMath.SELU_ALPHA)
                    .blend(v, v.compare(VectorOperators.GT, 0f)).mul(ScalarMath.SELU_SCALE)
                    .intoArray(y, yo + i);
        }
    }

    static void silu(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            if (SimdMath.expNormal(v)) {
                v.mul(FloatVector.broadcast(S, 1f).div(SimdMath.expNormalRange(v.neg()).add(1f))).intoArray(y, yo + i);
            } else {
                v.mul(FloatVector.broadcast(S, 1f).div(SimdMath.exp(v.neg()).add(1f))).intoArray(y, yo + i);
            }
        }
    }

    static void erf(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector small = SimdMath.erfSmall(v);
            FloatVector pt = SimdMath.erfTail(v);
            FloatVector r = SimdMath.ErfConstants.ONE.sub(pt.mul(SimdMath.exp(v.mul(v).neg())));
            IntVector sign = ((IntVector) v.reinterpretAsInts()).and(0x80000000);
            FloatVector large = (FloatVector) ((IntVector) r.abs().reinterpretAsInts()).or(sign)
                    .reinterpretAsFloats();
            large.blend(small, v.abs().lt(SimdMath.ErfConstants.SMALL)).intoArray(y, yo + i);
        }
    }

    // SOFTPLUS and MISH need exp and log (MISH tanh's exp too): in one loop C2 passed its node
    // cutoff and boxed (7.8 and 11.4 ms per million floats, 2.7x what they take now). So they
    // run in passes over blocks, each pass a loop of its own reached through a handle (so
    // compiled on its own), with a scratch block in between.
    static void softplus(float p, float[] x, int xo, float[] y, int yo, int bound) {
        float[] s = SCRATCH.get();
        for (int b = 0; b < bound; b += BLOCK) {
            int m = Math.min(BLOCK, bound - b);
            SimdElementwise.run(PASSES[EXP_OF_MINUS_ABS], x, xo + b, 1, s, 0, 1, s, 0, m);
            SimdElementwise.run(PASSES[SOFTPLUS_FROM_EXP], x, xo + b, 1, s, 0, 1, y, yo + b, m);
        }
    }

    static void softsign(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.div(v.abs().add(1f)).intoArray(y, yo + i);
        }
    }

    static void geluTanh(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector inner = v.mul(ScalarMath.GELU_K).fma(v.mul(v), v).mul(ScalarMath.GELU_C);
            FloatVector small = SimdMath.tanhSmall(inner);
            FloatVector a = inner.abs();
            FloatVector r = FloatVector.broadcast(S, 1f)
                    .sub(FloatVector.broadcast(S, 2f).div(SimdMath.exp(a.add(a)).add(1f)));
            FloatVector t = r.blend(r.neg(), inner.compare(VectorOperators.LT, 0f))
                    .blend(small, a.lt(ScalarMath.TANH_SMALL));
            v.mul(0.5f).mul(t.add(1f)).intoArray(y, yo + i);
        }
    }

    static void mish(float p, float[] x, int xo, float[] y, int yo, int bound) {
        float[] s = SCRATCH.get();
        for (int b = 0; b < bound; b += BLOCK) {
            int m = Math.min(BLOCK, bound - b);
            SimdElementwise.run(PASSES[EXP_OF_MINUS_ABS], x, xo + b, 1, s, 0, 1, s, 0, m);
            SimdElementwise.run(PASSES[SOFTPLUS_FROM_EXP], x, xo + b, 1, s, 0, 1, s, 0, m);
            SimdElementwise.run(SimdElementwise.loop(UnaryOp.TANH), 0f, s, 0, s, 0, m);
            SimdElementwise.run(SimdElementwise.loop(BinaryOp.MUL), x, xo + b, 1, s, 0, 1, y, yo + b, m);
        }
    }

    /** x·((1 + erf(x/√2))·0.5), erf by the ERF loop into scratch (compiled on its own, as MISH's passes are). */
    static void gelu(float p, float[] x, int xo, float[] y, int yo, int bound) {
        float[] s = SCRATCH.get();
        for (int b = 0; b < bound; b += BLOCK) {
            int m = Math.min(BLOCK, bound - b);
            for (int i = 0; i < m; i += L) {
                FloatVector.fromArray(S, x, xo + b + i).mul(ScalarMath.INV_SQRT2).intoArray(s, i);
            }
            SimdElementwise.run(SimdElementwise.loop(UnaryOp.ERF), 0f, s, 0, s, 0, m);
            for (int i = 0; i < m; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + b + i);
                v.mul(FloatVector.fromArray(S, s, i).add(1f).mul(0.5f)).intoArray(y, yo + b + i);
            }
        }
    }

    static void reciprocal(float p, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector.broadcast(S, 1f).div(v).intoArray(y, yo + i);
        }
    }

    // The passes, typed as binary loops (the increments unused).

    /** y = e^(-|a|). */
    static void expOfMinusAbs(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                              float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            SimdMath.exp(FloatVector.fromArray(S, a, ao + i).abs().neg()).intoArray(y, yo + i);
        }
    }

    /** y = softplus(a) = max(a, 0) + log1p(u), given b = u = e^(-|a|); log1p(u) = log(w)·u/(w - 1), w = 1 + u. */
    static void softplusFromExp(float[] a, int ao, int aInc, float[] b, int bo, int bInc,
                                float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector u = FloatVector.fromArray(S, b, bo + i);
            FloatVector w = u.add(1f);
            FloatVector logW = SimdMath.log(w, SimdMath.logSpecial(w));
            FloatVector d = w.sub(1f);
            FloatVector log1p = logW.mul(u.div(d)).blend(u, d.compare(VectorOperators.EQ, 0f));
            FloatVector.fromArray(S, a, ao + i).max(0f).add(log1p).intoArray(y, yo + i);
        }
    }
}
