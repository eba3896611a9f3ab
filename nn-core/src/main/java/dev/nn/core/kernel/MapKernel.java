package dev.nn.core.kernel;

/**
 * A user's elementwise function compiled into a loop of its own, {@code y = f(x)}: made by
 * {@link ElementwiseKernels#map}.
 */
public interface MapKernel {

    /** Computes {@code y[yo + i] = f(x[xo + i])} for {@code i < n}; x and y may be the same range. */
    void apply(float[] x, int xo, float[] y, int yo, int n);
}
