package dev.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clipping against a double reference; non-finite norms reported and never applied. */
class GradClipTest {

    static Parameter withGrad(Tensor g) {
        Parameter p = new Parameter(Tensor.zeros(g.shape().dims()));
        p.mul(Variable.of(g)).sum().backward();
        return p;
    }

    @Test
    void clipGradNorm_matchesADoubleReference() {
        Generator gen = new Generator(3);
        List<Parameter> params = List.of(withGrad(Tensor.randn(gen, 30, 7)), withGrad(Tensor.randn(gen, 13)),
                new Parameter(Tensor.ones(4)));
        double sum = 0;
        for (Parameter p : params.subList(0, 2)) {
            for (float g : p.grad().toArray()) {
                sum += (double) g * g;
            }
        }
        float[] before = params.get(0).grad().toArray();
        double norm = GradClip.clipGradNorm(params, 2f);
        assertEquals(Math.sqrt(sum), norm, 1e-9 * norm);
        double coef = 2 / (Math.sqrt(sum) + 1e-6);
        float[] after = params.get(0).grad().toArray();
        for (int i = 0; i < after.length; i++) {
            assertEquals(before[i] * coef, after[i], 1e-6);
        }
        double clipped = 0;
        for (Parameter p : params.subList(0, 2)) {
            for (float g : p.grad().toArray()) {
                clipped += (double) g * g;
            }
        }
        assertEquals(2, Math.sqrt(clipped), 1e-5);
        assertEquals(2, GradClip.clipGradNorm(params, 10f), 1e-5);      // under the limit: unchanged
        assertEquals(2, Math.sqrt(clipped), 1e-5);
    }

    @Test
    void clipGradNorm_nonFinite_reportedAndNeverApplied() {
        Parameter p = withGrad(Tensor.of(new float[] {1, Float.NaN, 3}, 3));
        Parameter q = withGrad(Tensor.of(new float[] {4, 5}, 2));
        assertTrue(Double.isNaN(GradClip.clipGradNorm(List.of(p, q), 1f)));
        assertArrayEquals(new float[] {4, 5}, q.grad().toArray());
        Parameter inf = withGrad(Tensor.of(new float[] {Float.POSITIVE_INFINITY}, 1));
        assertEquals(Double.POSITIVE_INFINITY, GradClip.clipGradNorm(List.of(inf, q), 1f));
        assertArrayEquals(new float[] {4, 5}, q.grad().toArray());
    }

    @Test
    void clipGradValue_clampsEachElement() {
        Parameter p = withGrad(Tensor.of(new float[] {-3, -0.5f, 0.5f, 3, Float.NaN}, 5));
        GradClip.clipGradValue(List.of(p), 1f);
        assertArrayEquals(new float[] {-1, -0.5f, 0.5f, 1, Float.NaN}, p.grad().toArray());
    }
}
