package dev.nn.core.kernel;

import dev.nn.core.function.FloatFunction;

/**
 * The loop of a user's function on the scalar kernels, the specification of {@link SimdMapLoop}.
 * A template copied per function class by {@link OwnLoops}, so C2 inlines the function (and
 * vectorizes it where it is plain arithmetic) however many a program defines.
 */
final class ScalarMapLoop implements MapKernel {

    private final FloatFunction f;

    ScalarMapLoop(FloatFunction f) {
        this.f = f;
    }

    @Override
    public void apply(float[] x, int xo, float[] y, int yo, int n) {
        assert xo >= 0 && yo >= 0 && xo + n <= x.length && yo + n <= y.length;
        for (int i = 0; i < n; i++) {
            y[yo + i] = f.apply(x[xo + i]);
        }
    }
}
