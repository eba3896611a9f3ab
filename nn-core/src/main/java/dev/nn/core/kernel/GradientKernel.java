package dev.nn.core.kernel;

/**
 * A user's derivative compiled into a loop of its own that applies the chain rule,
 * {@code out = g·f'(x)} or {@code out = g·f'(x, y)}: made by {@link ElementwiseKernels#gradient}.
 */
public interface GradientKernel {

    /** Returns whether the derivative reads the output y as well as the input x. */
    boolean readsOutput();

    /**
     * Computes {@code out[oo + i] = g[go + i]·f'(x[xo + i], y[yo + i])} for {@code i < n}; y is
     * not read (and may be null) where {@link #readsOutput} is false. out may be the range of g.
     */
    void apply(float[] g, int go, float[] x, int xo, float[] y, int yo, float[] out, int oo, int n);
}
