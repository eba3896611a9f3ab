package dev.nn.core.kernel;

/** The scalar twin of the fused optimizer updates: the specification of each. */
final class ScalarUpdates implements UpdateKernels {

    static final ScalarUpdates INSTANCE = new ScalarUpdates();

    private ScalarUpdates() {
    }

    @Override
    public void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, float[] vmax, int xo,
                     int n, float beta1, float beta2, float weightDecay, float stepSize, float bc2Sqrt, float eps) {
        assert po >= 0 && go >= 0 && mo >= 0 && vo >= 0 && po + n <= p.length;
        for (int i = 0; i < n; i++) {
            float pi = p[po + i];
            float gi = weightDecay == 0f ? g[go + i] : g[go + i] + pi * weightDecay;
            float mi = Math.fma(1f - beta1, gi, m[mo + i] * beta1);
            float vi = Math.fma(1f - beta2, gi * gi, v[vo + i] * beta2);
            m[mo + i] = mi;
            v[vo + i] = vi;
            float w = vi;
            if (vmax != null) {
                w = Math.max(vmax[xo + i], vi);
                vmax[xo + i] = w;
            }
            float denom = (float) Math.sqrt(w) / bc2Sqrt + eps;
            p[po + i] = Math.fma(-stepSize, mi / denom, pi);
        }
    }
}
