package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The fused optimizer updates on the Vector API, each with its {@link ScalarUpdates} twin's bits. */
final class SimdUpdates implements UpdateKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, float[] vmax, int xo,
                     int n, float beta1, float beta2, float weightDecay, float stepSize, float bc2Sqrt, float eps) {
        assert po >= 0 && go >= 0 && mo >= 0 && vo >= 0 && po + n <= p.length;
        FloatVector b1 = FloatVector.broadcast(S, beta1);
        FloatVector b2 = FloatVector.broadcast(S, beta2);
        FloatVector c1 = FloatVector.broadcast(S, 1f - beta1);
        FloatVector c2 = FloatVector.broadcast(S, 1f - beta2);
        FloatVector wd = FloatVector.broadcast(S, weightDecay);
        FloatVector step = FloatVector.broadcast(S, -stepSize);
        FloatVector bc = FloatVector.broadcast(S, bc2Sqrt);
        FloatVector e = FloatVector.broadcast(S, eps);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector pi = FloatVector.fromArray(S, p, po + i);
            FloatVector gi = FloatVector.fromArray(S, g, go + i);
            if (weightDecay != 0f) {
                gi = gi.add(pi.mul(wd));
            }
            FloatVector mi = c1.fma(gi, FloatVector.fromArray(S, m, mo + i).mul(b1));
            FloatVector vi = c2.fma(gi.mul(gi), FloatVector.fromArray(S, v, vo + i).mul(b2));
            mi.intoArray(m, mo + i);
            vi.intoArray(v, vo + i);
            FloatVector w = vi;
            if (vmax != null) {
                w = FloatVector.fromArray(S, vmax, xo + i).max(vi);
                w.intoArray(vmax, xo + i);
            }
            FloatVector denom = w.sqrt().div(bc).add(e);
            step.fma(mi.div(denom), pi).intoArray(p, po + i);
        }
        ScalarUpdates.INSTANCE.adam(p, po + i, g, go + i, m, mo + i, v, vo + i, vmax, xo + i, n - i, beta1, beta2,
                weightDecay, stepSize, bc2Sqrt, eps);
    }
}
