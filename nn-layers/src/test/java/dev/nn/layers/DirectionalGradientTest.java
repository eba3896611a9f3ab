package dev.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole modules checked along a random direction (a cheap vᵀJu check): the directional derivative
 * of {@code Σ v·module(x)} with respect to all parameters and the input together, numeric (central
 * differences) against analytic (backward's gradients dotted with the direction).
 */
class DirectionalGradientTest {

    static void check(String what, Module m, Tensor x) {
        Generator g = new Generator(21);
        List<Parameter> params = m.parameters();
        m.zeroGrad();
        Variable xv = Variable.of(x.copy()).requiresGrad();
        Variable out = m.forward(xv);
        Tensor v = Tensor.randn(g, out.shape().dims());
        out.mul(Variable.of(v)).sum().backward();

        List<Tensor> directions = new ArrayList<>();
        double analytic = 0;
        for (Parameter p : params) {
            Tensor u = Tensor.randn(g, p.shape().dims());
            directions.add(u);
            analytic += dot(p.grad(), u);
        }
        Tensor ux = Tensor.randn(g, x.shape().dims());
        analytic += dot(xv.grad(), ux);

        float eps = 1e-2f;
        double numeric = (along(m, params, directions, x, ux, eps, v) - along(m, params, directions, x, ux, -eps, v))
                / (2 * eps);
        assertTrue(Math.abs(numeric - analytic) <= 1e-3 + 1e-2 * Math.abs(numeric),
                what + ": directional derivative analytic " + analytic + ", numeric " + numeric);
    }

    /** Returns Σ v·m(x + t·ux) with every parameter moved by t·u, restoring the parameters after. */
    private static double along(Module m, List<Parameter> params, List<Tensor> dirs, Tensor x, Tensor ux, float t,
                                Tensor v) {
        List<Tensor> saved = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            saved.add(params.get(i).value().copy());
            params.get(i).value().addInPlace(dirs.get(i), t);
        }
        Tensor moved = x.copy();
        moved.addInPlace(ux, t);
        double s;
        try (var scope = Autograd.noGrad()) {
            s = dot(m.forward(Variable.of(moved)).value(), v);
        } finally {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).value().copyInPlace(saved.get(i));
            }
        }
        return s;
    }

    private static double dot(Tensor a, Tensor b) {
        float[] x = a.toArray();
        float[] y = b.toArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    @Test
    void smallMlp() {
        Generator g = new Generator(1);
        Sequential mlp = new Sequential(new Linear(13, 32, true, g), new Tanh(), new Linear(32, 17, true, g), new GELU(),
                new Linear(17, 5, true, g), new LogSoftmax());
        check("MLP", mlp, Tensor.randn(g, 9, 13));
    }

    @Test
    void eachModuleWithParameters() {
        Generator g = new Generator(2);
        check("Linear", new Linear(7, 5, true, g), Tensor.randn(g, 4, 7));
        check("Linear without bias", new Linear(7, 5, false, g), Tensor.randn(g, 4, 7));
        BatchNorm1d bn = new BatchNorm1d(6);
        bn.stateDict().get("weight").copyInPlace(Tensor.randn(g, 6));
        check("BatchNorm1d (train)", bn, Tensor.randn(g, 5, 6));
        bn.eval();
        check("BatchNorm1d (eval)", bn, Tensor.randn(g, 5, 6));
        check("LayerNorm", new LayerNorm(6), Tensor.randn(g, 5, 6));
    }

    @Test
    void theCheckCatchesAWrongGradient() {
        // A module whose backward ignores the weight's effect on the scale must fail the check.
        Generator g = new Generator(3);
        Module wrong = new Module() {
            private final Parameter w = registerParameter("w", new Parameter(Tensor.randn(g, 4)));

            @Override
            public Variable forward(Variable x) {
                return x.mul(w.detach()).add(w);   // value depends on w twice, gradient only once
            }
        };
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> check("wrong", wrong, Tensor.randn(g, 3, 4)));
        assertTrue(e.getMessage().startsWith("wrong: directional derivative"), e.getMessage());
        assertEquals(4, wrong.parameterCount());
    }
}
