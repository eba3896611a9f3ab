package dev.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import org.junit.jupiter.api.Test;

/** GradCheck itself: passes correct gradients, reports the worst wrong entry, leaves inputs alone. */
class GradCheckTest {

    @Test
    void correctGradients_pass() {
        var w = Variable.of(Tensor.randn(new Generator(1), 5, 3)).requiresGrad();
        var x = Variable.of(Tensor.randn(new Generator(2), 4, 5)).requiresGrad();
        var b = Variable.of(Tensor.randn(new Generator(3), 3)).requiresGrad();
        GradCheck.Report r = GradCheck.DEFAULT.check(in -> in[1].matmul(in[0]).add(in[2]).tanh().logSoftmax(), w, x, b);
        assertTrue(r.passed(), r.summary());
        assertTrue(r.summary().startsWith("gradcheck: passed; worst entry is input "), r.summary());
    }

    @Test
    void wrongGradient_reportsTheWorstEntry() {
        // The derivative is right except at one index, which a per-entry check must find.
        Function almostExp = new Function("almostExp") {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                ctx.save(in[0]);
                return in[0].exp();
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor grad) {
                Tensor d = grad.mul(ctx.saved(0).exp());
                float[] a = d.toArray();
                a[4] *= 1.1f;
                return new Tensor[] {Tensor.of(a, 2, 3)};
            }
        };
        var x = Variable.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, 2, 3).requiresGrad();
        GradCheck.Report r = GradCheck.DEFAULT.check(in -> almostExp.apply(in[0]).sum(), x);
        assertFalse(r.passed());
        assertEquals(0, r.input());
        assertArrayEquals(new int[] {1, 1}, r.index());
        assertEquals((float) Math.exp(0.5) * 1.1f, r.analytic(), 1e-3f);
        assertEquals((float) Math.exp(0.5), r.numeric(), 1e-3f);
        assertTrue(r.summary().startsWith("gradcheck: failed at input 0 at [1, 1]: analytic "), r.summary());
        assertTrue(r.summary().endsWith(" > 0.001 + 0.01·|numeric|)"), r.summary());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, x.value().toArray());
        assertEquals(null, x.grad());
    }

    @Test
    void onlyInputsRequiringGradAreChecked_andMisuseIsNamed() {
        var c = Variable.of(new float[] {2, 3}, 2);
        var x = Variable.of(new float[] {0.5f, 0.7f}, 2).requiresGrad();
        GradCheck.assertGradients(in -> in[0].mul(in[1]).exp(), c, x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.assertGradients(in -> in[0].exp(), c));
        assertEquals("gradcheck: no input requires a gradient (call requiresGrad() on the inputs to check)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GradCheck(0, 1e-3, 1e-2));
        assertEquals("eps must be > 0, got 0.0", e.getMessage());
    }
}
