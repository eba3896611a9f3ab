package dev.nn.core.kernel;

/**
 * Fused optimizer updates: one pass over a parameter and its state where the same rule written
 * with elementwise kernels would take a dozen. {@link ScalarUpdates} is the specification.
 */
public interface UpdateKernels {

    /**
     * Applies one Adam update in place to {@code n} elements of each array, starting at its own
     * offset, element by element in this order (the order of the unfused tensor operations it replaces):
     * <pre>
     * g' = g + weightDecay·p                       (two roundings; weightDecay 0 leaves g)
     * m  = fma(1 - beta1, g', m·beta1)
     * v  = fma(1 - beta2, g'·g', v·beta2)
     * w  = amsgrad ? (vmax = max(vmax, v)) : v     (vmax null when not amsgrad)
     * p  = fma(-stepSize, m / (sqrt(w) / bc2Sqrt + eps), p)
     * </pre>
     */
    void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, float[] vmax, int xo,
              int n, float beta1, float beta2, float weightDecay, float stepSize, float bc2Sqrt, float eps);
}
