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
    void customActivation_derivativeOfTheOutput_checkedAndEqualToTheBuiltIn() {
        // The logistic function from f(x) and f'(x, y) = y·(1 - y): no exp in the derivative.
        Activation logistic = Activation.of("logistic", x -> 1f / (1f + (float) Math.exp(-x)), (x, y) -> y * (1f - y));
        GradCheck.assertGradients(in -> logistic.forward(in[0]), input());
        Variable a = input();
        Variable b = input();
        logistic.forward(a).sum().backward();
        new Sigmoid().forward(b).sum().backward();
        assertArrayEquals(b.grad().toArray(), a.grad().toArray(), 1e-6f);
    }

    @Test
    void customActivation_vectorForms_bitIdenticalToTheScalarForms() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.nn.core.Backend.defaultBackend().vectorized(),
                "jdk.incubator.vector is absent: no vector forms");
        VectorForms.check();
    }

    /** Holds the lambdas typed on FloatVector, so this class loads without the Vector API module. */
    static final class VectorForms {
        static void check() {
            // f(x) = x + x²/2 with f'(x) = 1 + x, and the same f with f'(x, y) = 1 + x read beside y.
            Activation scalar = Activation.of("poly", x -> x + x * x * 0.5f, x -> 1f + x);
            Activation vector = Activation.of("poly", x -> x + x * x * 0.5f, x -> 1f + x,
                    v -> v.add(v.mul(v).mul(0.5f)), v -> v.add(1f));
            Activation scalarOut = Activation.of("poly", x -> x + x * x * 0.5f, (x, y) -> 1f + x + 0f * y);
            Activation vectorOut = Activation.of("poly", x -> x + x * x * 0.5f, (x, y) -> 1f + x + 0f * y,
                    v -> v.add(v.mul(v).mul(0.5f)), (v, w) -> v.add(1f).add(w.mul(0f)));
            float[] expectedY = null;
            float[] expectedGrad = null;
            for (Activation a : List.of(scalar, vector, scalarOut, vectorOut)) {
                GradCheck.assertGradients(in -> a.forward(in[0]), input());
                Variable x = input();
                Variable y = a.forward(x);
                y.sum().backward();
                if (expectedY == null) {
                    expectedY = y.value().toArray();
                    expectedGrad = x.grad().toArray();
                } else {
                    assertArrayEquals(expectedY, y.value().toArray());
                    assertArrayEquals(expectedGrad, x.grad().toArray());
                }
            }
        }
    }

    static Activation prelu(int channels) {
        return Activation.parametric("prelu", Tensor.full(0.25f, channels),
                (x, a) -> x.relu().sub(a.mul(x.neg().relu())));
    }

    @Test
    void parametricActivation_gradientCheckedForInputAndParameter() {
        Activation perChannel = prelu(37);
        Activation shared = prelu(1);
        for (Activation a : List.of(perChannel, shared)) {
            GradCheck.assertGradients(in -> a.forward(in[0]), input(), a.weight());
        }
        assertEquals("Activation(prelu, weight=[37])", perChannel.describe());
        assertEquals(List.of("weight"), List.copyOf(perChannel.namedParameters().keySet()));
        Variable x = Variable.of(new float[] {-2, 3}, 1, 2);
        assertArrayEquals(new float[] {-0.5f, 3}, shared.forward(x).value().toArray());
    }

    @Test
    void parametricActivation_trainsAndSavesLikeAnyParameter(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        Generator g = new Generator(5);
        Sequential net = new Sequential(new Linear(37, 8, true, g), prelu(8), new Linear(8, 1, true, g));
        Variable x = input();
        Variable target = Variable.of(Tensor.randn(g, 3, 1));
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 50; step++) {
            net.zeroGrad();
            Variable loss = net.forward(x).sub(target).square().mean();
            loss.backward();
            for (var p : net.parameters()) {
                p.value().addInPlace(p.grad(), -0.05f);
            }
            first = step == 0 ? loss.item() : first;
            last = loss.item();
        }
        assertTrue(last < first / 4, "loss " + first + " -> " + last);
        Activation trained = (Activation) net.get(1);
        float[] slopes = trained.weight().value().toArray();
        assertTrue(java.util.stream.IntStream.range(0, 8).anyMatch(i -> slopes[i] != 0.25f), "the slopes were trained");

        java.nio.file.Path file = dir.resolve("net.safetensors");
        net.save(file);
        Sequential fresh = new Sequential(new Linear(37, 8, true, new Generator(9)), prelu(8),
                new Linear(8, 1, true, new Generator(9)));
        fresh.load(file);
        assertArrayEquals(slopes, ((Activation) fresh.get(1)).weight().value().toArray());
        assertArrayEquals(net.forward(x).value().toArray(), fresh.forward(x).value().toArray());
    }

    /** The README's custom-activation snippet, as it is there (keep the two alike). */
    @Test
    void readmeSnippet_everyForm_runs() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.nn.core.Backend.defaultBackend().vectorized(),
                "jdk.incubator.vector is absent: the snippet has a vector form");
        ReadmeSnippet.run();
    }

    /** Holds the snippet's FloatVector lambdas, so this class loads without the Vector API module. */
    static final class ReadmeSnippet {
        static void run() {
            // composed of built-in operations: backward comes from theirs
            var swish = Activation.of("swish", x -> x.mul(x.sigmoid()));
            // its function and derivative as scalar lambdas; the derivative may read the output y as well
            var logistic = Activation.of("logistic", x -> 1f / (1f + (float) Math.exp(-x)), (x, y) -> y * (1f - y));
            // with FloatVector forms beside the scalar ones, for SIMD speed (needs the Vector API module)
            var square = Activation.of("square", x -> x * x, x -> 2f * x, v -> v.mul(v), v -> v.mul(2f));
            // with a learnable parameter, trained and saved as "weight": PReLU, one slope per feature
            var prelu = Activation.parametric("prelu", Tensor.full(0.25f, 4),
                    (x, a) -> x.relu().sub(a.mul(x.neg().relu())));
            var x = Variable.of(new float[] {-1.5f, -0.5f, 0.5f, 2f, 1f, -2f, 0.3f, -0.7f}, 2, 4).requiresGrad();
            GradCheck.assertGradients(in -> prelu.forward(in[0]), x, prelu.weight());   // input and parameter
            var net = new Sequential(new Linear(2, 4), prelu, new Linear(4, 3));
            for (Activation a : List.of(swish, logistic, square)) {
                GradCheck.assertGradients(in -> a.forward(in[0]), input());
            }
            assertArrayEquals(new int[] {3, 3}, net.forward(Variable.of(Tensor.zeros(3, 2))).shape().dims());
        }
    }

    @Test
    void badArguments_messages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Hardtanh(1f, -1f));
        assertEquals("Hardtanh: min must be < max, got 1.0 and -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activation.of("", x -> x));
        assertEquals("Activation: name must not be empty", e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class,
                () -> Activation.of("cube", x -> x * x * x, (dev.nn.core.function.FloatFunction) null));
        assertEquals("cube: the function and its derivative are both required", n.getMessage());
        Activation swish = Activation.of("swish", x -> x.mul(x.sigmoid()));
        IllegalStateException s = assertThrows(IllegalStateException.class, swish::weight);
        assertEquals("Activation(swish): has no parameter (only Activation.parametric makes one)", s.getMessage());
    }
}
