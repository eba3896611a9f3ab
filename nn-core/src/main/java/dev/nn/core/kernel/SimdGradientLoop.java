package dev.nn.core.kernel;

import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorBiFunction;
import dev.nn.core.function.VectorFunction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The chain-rule loop of a user's derivative on the Vector API, {@code out = g·f'(x)} or
 * {@code g·f'(x, y)}: the vector form on whole vectors, the scalar form on the tail, the product
 * with g in the same pass. A template copied per function class, as {@link SimdMapLoop} is.
 */
final class SimdGradientLoop implements GradientKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final FloatFunction d;
    private final FloatBiFunction d2;
    private final VectorFunction vd;
    private final VectorBiFunction vd2;

    /** Takes a derivative of x ({@code d}, {@code vd}) or of x and y ({@code d2}, {@code vd2}); the others null. */
    SimdGradientLoop(FloatFunction d, FloatBiFunction d2, VectorFunction vd, VectorBiFunction vd2) {
        this.d = d;
        this.d2 = d2;
        this.vd = vd;
        this.vd2 = vd2;
    }

    @Override
    public boolean readsOutput() {
        return d2 != null;
    }

    @Override
    public void apply(float[] g, int go, float[] x, int xo, float[] y, int yo, float[] out, int oo, int n) {
        assert go >= 0 && xo >= 0 && oo >= 0 && go + n <= g.length && xo + n <= x.length && oo + n <= out.length;
        int i = 0;
        int bound = S.loopBound(n);
        if (vd != null) {
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, g, go + i).mul(vd.apply(FloatVector.fromArray(S, x, xo + i)))
                        .intoArray(out, oo + i);
            }
        } else if (vd2 != null) {
            for (; i < bound; i += L) {
                FloatVector local = vd2.apply(FloatVector.fromArray(S, x, xo + i), FloatVector.fromArray(S, y, yo + i));
                FloatVector.fromArray(S, g, go + i).mul(local).intoArray(out, oo + i);
            }
        }
        if (d != null) {
            for (; i < n; i++) {
                out[oo + i] = g[go + i] * d.apply(x[xo + i]);
            }
        } else {
            for (; i < n; i++) {
                out[oo + i] = g[go + i] * d2.apply(x[xo + i], y[yo + i]);
            }
        }
    }
}
