package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One vector loop per activation with a fused backward ({@link UnaryOp#backwardReads()}), over
 * whole vectors, [0, bound): {@code out = g·op'} from the saved s in one pass, where the backward
 * composed of tensor operations took three to six, each into a fresh array. Each is a
 * {@link SimdElementwise.BackwardLoop} in {@code SimdElementwise}'s table and repeats its scalar
 * twin ({@code ScalarElementwise.backward}) operation for operation.
 */
final class SimdBackwardLoops {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    // Floats per pass where σ (or GELU's erf and exp) comes first into scratch: the blocks stay in L1 (16-20 KB).
    private static final int BLOCK = 1024;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[BLOCK]);
    private static final ThreadLocal<float[]> SCRATCH2 = ThreadLocal.withInitial(() -> new float[BLOCK]);

    private SimdBackwardLoops() {
    }

    /** {@code g·[y > 0]}. */
    static void relu(float p, float[] g, int go, float[] s, int so, float[] out, int oo, int bound) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < bound; i += L) {
            FloatVector mask = zero.blend(one, FloatVector.fromArray(S, s, so + i).compare(VectorOperators.GT, 0f));
            FloatVector.fromArray(S, g, go + i).mul(mask).intoArray(out, oo + i);
        }
    }

    /** {@code g·(1 - slope)·[x > 0] + slope}. */
    static void leakyRelu(float p, float[] g, int go, float[] s, int so, float[] out, int oo, int bound) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        float rest = 1f - p;
        for (int i = 0; i < bound; i += L) {
            FloatVector positive = zero.blend(one, FloatVector.fromArray(S, s, so + i).compare(VectorOperators.GT, 0f));
            FloatVector.fromArray(S, g, go + i).mul(positive.mul(rest).add(p)).intoArray(out, oo + i);
        }
    }

    /** {@code g·y·(1 - y)}. */
    static void sigmoid(float p, float[] g, int go, float[] s, int so, float[] out, int oo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector y = FloatVector.fromArray(S, s, so + i);
            FloatVector.fromArray(S, g, go + i).mul(y).mul(y.neg().add(1f)).intoArray(out, oo + i);
        }
    }

    /** {@code g·(1 - y²)}. */
    static void tanh(float p, float[] g, int go, float[] s, int so, float[] out, int oo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector y = FloatVector.fromArray(S, s, so + i);
            FloatVector.fromArray(S, g, go + i).mul(y.mul(y).neg().add(1f)).intoArray(out, oo + i);
        }
    }

    /** {@code g·σ(x)·(1 + x·(1 - σ(x)))}, σ from the SIGMOID loop (see {@link #sigmoidBlock}). */
    static void silu(float p, float[] g, int go, float[] s, int so, float[] out, int oo, int bound) {
        float[] sg = SCRATCH.get();
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int b = 0; b < bound; b += BLOCK) {
            int m = sigmoidBlock(s, so + b, sg, bound - b);
            for (int i = 0; i < m; i += L) {
                FloatVector x = FloatVector.fromArray(S, s, so + b + i);
                FloatVector v = FloatVector.fromArray(S, sg, i);
                FloatVector.fromArray(S, g, go + b + i).mul(v.mul(x.mul(one.sub(v)).add(1f)))
                        .intoArray(out, oo + b + i);
            }
        }
    }

    /** {@code g·σ(x)}, σ from the SIGMOID loop. */
    static void softplus(float p, float[] g, int go, float[] s, int so, float[] out, int oo, int bound) {
        float[] sg = SCRATCH.get();
        for (int b = 0; b < bound; b += BLOCK) {
            int m = sigmoidBlock(s, so + b, sg, bound - b);
            for (int i = 0; i < m; i += L) {
                FloatVector.fromArray(S, g, go + b + i).mul(FloatVector.fromArray(S, sg, i)).intoArray(out, oo + b + i);
            }
        }
    }

    /**
     * Writes σ of up to {@value #BLOCK} floats of x to sg by the SIGMOID loop and returns how many.
     * That loop is compiled on its own: inlined into a backward loop, σ's exp made it large enough
     * that C2, once exp had been compiled on its own, called it instead, boxing every vector (SILU
     * allocated 6 bytes per float with all backward loops in use, KernelAllocationTest).
     */
    private static int sigmoidBlock(float[] x, int xo, float[] sg, int left) {
        int m = Math.min(BLOCK, left);
        SimdElementwise.run(SimdElementwise.loop(UnaryOp.SIGMOID), 0f, x, xo, sg, 0, m);
        return m;
    }

    /**
     * {@code g·(Φ(x) + x·φ(x))}: Φ = (1 + erf(x/√2))·0.5 and φ = e^(-x²/2)/√(2π), erf and exp by
     * their loops into two scratch blocks (see {@link #sigmoidBlock} for why not inlined here).
     */
    static void gelu(float p, float[] g, int go, float[] s, int so, float[] out, int oo, int bound) {
        float[] e = SCRATCH.get();
        float[] q = SCRATCH2.get();
        for (int b = 0; b < bound; b += BLOCK) {
            int m = Math.min(BLOCK, bound - b);
            for (int i = 0; i < m; i += L) {
                FloatVector x = FloatVector.fromArray(S, s, so + b + i);
                x.mul(ScalarMath.INV_SQRT2).intoArray(e, i);
                x.mul(x).mul(0.5f).neg().intoArray(q, i);
            }
            SimdElementwise.run(SimdElementwise.loop(UnaryOp.ERF), 0f, e, 0, e, 0, m);
            SimdElementwise.run(SimdElementwise.loop(UnaryOp.EXP), 0f, q, 0, q, 0, m);
            for (int i = 0; i < m; i += L) {
                FloatVector x = FloatVector.fromArray(S, s, so + b + i);
                FloatVector cdf = FloatVector.fromArray(S, e, i).add(1f).mul(0.5f);
                FloatVector pdf = FloatVector.fromArray(S, q, i).mul(ScalarMath.INV_SQRT_2PI);
                FloatVector.fromArray(S, g, go + b + i).mul(cdf.add(x.mul(pdf))).intoArray(out, oo + b + i);
            }
        }
    }

    /** {@code g / (1 + |x|)²}. */
    static void softsign(float p, float[] g, int go, float[] s, int so, float[] out, int oo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, s, so + i).abs().add(1f);
            FloatVector.fromArray(S, g, go + i).div(d.mul(d)).intoArray(out, oo + i);
        }
    }
}
