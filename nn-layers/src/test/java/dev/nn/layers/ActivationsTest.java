package dev.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.Context;
import dev.nn.autograd.Function;
import dev.nn.autograd.GradCheck;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every activation module: known values, finite limits, gradient checks; and the extension point three ways. */
class ActivationsTest {

    static Variable input() {
        // Away from the kinks at 0, ±1 (Hardtanh): |x| in [0.05, 2.05] and not within 0.05 of ±1.
        Generator g = new Generator(11);
        float[] a = new float[3 * 37];
        for (int i = 0; i < a.length; i++) {
            float m;
            do {
                m = 0.05f + 2f * g.nextFloat();
            } while (Math.abs(m - 1f) < 0.05f);
            a[i] = g.nextFloat() < 0.5f ? -m : m;
        }
        return Variable.of(a, 3, 37).requiresGrad();
    }

    static final List<Module> ALL = List.of(new ReLU(), new LeakyReLU(0.1f), new ELU(0.8f), new SELU(), new GELU(),
            new GELU(GELU.Approximation.TANH), new SiLU(), new Mish(), new Softplus(), new Softsign(), new Sigmoid(),
            new Tanh(), new Hardtanh(), new Softmax(), new LogSoftmax(), new Identity());

    @Test
    void everyActivation_gradientChecked() {
        for (Module m : ALL) {
            try {
                GradCheck.assertGradients(in -> m.forward(in[0]), input());
            } catch (AssertionError e) {
                throw new AssertionError(m.describe() + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void knownValues() {
        Variable x = Variable.of(new float[] {-1, 0.5f, 2}, 3);
        assertArrayEquals(new float[] {0, 0.5f, 2}, new ReLU().forward(x).value().toArray());
        assertArrayEquals(new float[] {-0.01f, 0.5f, 2}, new LeakyReLU().forward(x).value().toArray());
        assertArrayEquals(new float[] {-0.15865526f, 0.34573123f, 1.9544997f}, new GELU().forward(x).value().toArray(),
                1e-6f);
        assertArrayEquals(new float[] {-0.15880801f, 0.345714f, 1.9545977f},
                new GELU(GELU.Approximation.TANH).forward(x).value().toArray(), 1e-6f);
        assertArrayEquals(new float[] {-1.1113307f, 0.5253505f, 2.101402f}, new SELU().forward(x).value().toArray(),
                1e-6f);
        assertArrayEquals(new float[] {-0.30340147f, 0.37524524f, 1.9439589f}, new Mish().forward(x).value().toArray(),
                1e-6f);
        assertArrayEquals(new float[] {-1, 0.5f, 1}, new Hardtanh().forward(x).value().toArray());
        assertArrayEquals(new float[] {-0.5f, 1f / 3, 2f / 3}, new Softsign().forward(x).value().toArray(), 1e-7f);
    }

    @Test
    void extremeInputs_finiteWithTheRightLimits() {
        Variable x = Variable.of(new float[] {-400, 400, -1e4f, 1e4f}, 4);
        assertArrayEquals(new float[] {0, 1, 0, 1}, new Sigmoid().forward(x).value().toArray());
        assertArrayEquals(new float[] {0, 400, 0, 1e4f}, new Softplus().forward(x).value().toArray());
        assertArrayEquals(new float[] {-1, 1, -1, 1}, new Tanh().forward(x).value().toArray());
        assertArrayEquals(new float[] {-0f, 400, -0f, 1e4f}, new SiLU().forward(x).value().toArray());
        Variable p = Variable.of(new float[] {-400, 400, -1e4f, 1e4f}, 4).requiresGrad();
        new Sigmoid().forward(p).sum().backward();
        for (float g : p.grad().toArray()) {
            assertTrue(Float.isFinite(g) && g >= 0f);
        }
    }

    /** A user-defined gate for the third way: softsign written out. */
    static final class MySoftsign extends Function {
        MySoftsign() {
            super("mySoftsign");
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].div(in[0].abs().add(Tensor.scalar(1f)));
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor d = ctx.saved(0).abs().add(Tensor.scalar(1f));
            return new Tensor[] {g.div(d.mul(d))};
        }
    }

    @Test
    void customActivation_threeWays_eachInAFewLinesAndChecked() {
        Activation composed = Activation.of("swish", x -> x.mul(x.sigmoid()));
        Activation lambdas = Activation.of("swish",
                x -> x / (1f + (float) Math.exp(-x)),
                x -> {
                    float s = 1f / (1f + (float) Math.exp(-x));
                    return s + x * s * (1f - s);
                });
        Activation gate = Activation.of(new MySoftsign());
        for (Activation a : List.of(composed, lambdas, gate)) {
            GradCheck.assertGradients(in -> a.forward(in[0]), input());
        }
        Variable x = input();
        assertArrayEquals(new SiLU().forward(x).value().toArray(), composed.forward(x).value().toArray(), 1e-6f);
        assertArrayEquals(new SiLU().forward(x).value().toArray(), lambdas.forward(x).value().toArray(), 1e-6f);
        assertArrayEquals(new Softsign().forward(x).value().toArray(), gate.forward(x).value().toArray(), 1e-7f);
        assertEquals("Activation(swish)", composed.describe());
        Sequential net = new Sequential(new Linear(37, 5), composed, new Linear(5, 2));
        GradCheck.assertGradients(in -> net.forward(in[0]), input());
    }

    @Test
    void badArguments_messages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Hardtanh(1f, -1f));
        assertEquals("Hardtanh: min must be < max, got 1.0 and -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activation.of("", x -> x));
        assertEquals("Activation: name must not be empty", e.getMessage());
    }
}
