package dev.nn.core.kernel;

import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorFunction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loop of a user's function on the Vector API: {@code vf} on whole vectors, {@code f} on the
 * tail. A template: {@link OwnLoops} defines a copy per function class, so the call below sees
 * one class and C2 inlines it (keep this class free of nested classes and lambdas).
 */
final class SimdMapLoop implements MapKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final FloatFunction f;
    private final VectorFunction vf;

    SimdMapLoop(FloatFunction f, VectorFunction vf) {
        this.f = f;
        this.vf = vf;
    }

    @Override
    public void apply(float[] x, int xo, float[] y, int yo, int n) {
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
}
