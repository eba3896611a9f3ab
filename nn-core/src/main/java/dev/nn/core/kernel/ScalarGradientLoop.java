package dev.nn.core.kernel;

import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;

/**
 * The chain-rule loop of a user's derivative on the scalar kernels, {@code out = g·f'(x)} or
 * {@code g·f'(x, y)}: the specification of {@link SimdGradientLoop}, copied per function class
 * as {@link ScalarMapLoop} is.
 */
final class ScalarGradientLoop implements GradientKernel {

    private final FloatFunction d;
    private final FloatBiFunction d2;

    /** Takes a derivative of x ({@code d}) or of x and y ({@code d2}), the other null. */
    ScalarGradientLoop(FloatFunction d, FloatBiFunction d2) {
        this.d = d;
        this.d2 = d2;
    }

    @Override
    public boolean readsOutput() {
        return d2 != null;
    }

    @Override
    public void apply(float[] g, int go, float[] x, int xo, float[] y, int yo, float[] out, int oo, int n) {
        assert go >= 0 && xo >= 0 && oo >= 0 && go + n <= g.length && xo + n <= x.length && oo + n <= out.length;
        if (d != null) {
            for (int i = 0; i < n; i++) {
                out[oo + i] = g[go + i] * d.apply(x[xo + i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[oo + i] = g[go + i] * d2.apply(x[xo + i], y[yo + i]);
            }
        }
    }
}
