package dev.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nn.core.Generator;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.KernelProvider;
import org.junit.jupiter.api.Test;

/** Custom operations (a Function subclass, an ElementwiseFunction), and anomaly mode. */
class FunctionTest {

    /** The lecture's multiply gate, written by a user. */
    static final class MulGate extends Function {
        MulGate() {
            super("myMul");
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return in[0].mul(in[1]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            return new Tensor[] {grad.mul(ctx.saved(1)), grad.mul(ctx.saved(0))};
        }
    }

    /** Returns its input's upstream gradient for both inputs: the engine must not let the two alias. */
    static final class PassThrough extends Function {
        PassThrough() {
            super("pass");
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            return in[0].add(in[1]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            return new Tensor[] {grad, grad};
        }
    }

    @Test
    void customGate_joinsTheGraphLikeABuiltIn() {
        var x = Variable.scalar(-2).requiresGrad();
        var y = Variable.scalar(5).requiresGrad();
        var z = Variable.scalar(-4).requiresGrad();
        var f = new MulGate().apply(x.add(y), z);
        assertEquals(-12f, f.item());
        assertEquals("myMul", f.operation().name());
        f.backward();
        assertEquals(-4f, x.grad().item());
        assertEquals(3f, z.grad().item());
        GradCheck.assertGradients(in -> new MulGate().apply(in[0], in[0].sigmoid()), Variable.of(
                Tensor.randn(new Generator(3), 4, 5)).requiresGrad());
    }

    @Test
    void customGate_returnedGradientsAreCopiedBeforeAccumulation() {
        var x = Variable.of(new float[] {1, 2}, 2).requiresGrad();
        var y = Variable.of(new float[] {3, 4}, 2).requiresGrad();
        new PassThrough().apply(x, y).sum().backward();
        x.mul(5f).sum().backward();
        assertArrayEquals(new float[] {6, 6}, x.grad().toArray());
        assertArrayEquals(new float[] {1, 1}, y.grad().toArray());
    }

    @Test
    void customGate_wrongGradients_clearMessages() {
        Function wrongShape = new Function("wrongShape") {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].sum();
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor grad) {
                return new Tensor[] {Tensor.ones(2)};
            }
        };
        Function wrongCount = new Function("wrongCount") {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].sum();
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor grad) {
                return new Tensor[0];
            }
        };
        var x = Variable.of(new float[] {1, 2, 3}, 3).requiresGrad();
        ShapeException s = assertThrows(ShapeException.class, () -> wrongShape.apply(x).backward());
        assertEquals("backward: wrongShape returned a gradient of shape [2] for input 0 of shape [3]", s.getMessage());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> wrongCount.apply(x).backward());
        assertEquals("backward: wrongCount returned 0 gradients for 1 inputs", e.getMessage());
        assertNull(x.grad());
    }

    static final ElementwiseFunction SWISH = ElementwiseFunction.of("swish",
            x -> x / (1f + (float) Math.exp(-x)),
            x -> {
                float s = 1f / (1f + (float) Math.exp(-x));
                return s + x * s * (1f - s);
            });

    @Test
    void elementwise_scalarLambdas_forwardAndGradient() {
        Tensor t = Tensor.randn(new Generator(4), 3, 19);
        var x = Variable.of(t).requiresGrad();
        var y = SWISH.apply(x);
        assertArrayEquals(t.silu().toArray(), y.value().toArray(), 1e-6f);
        GradCheck.assertGradients(in -> SWISH.apply(in[0]), x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SWISH.apply(x, x));
        assertEquals("swish: takes 1 input, got 2", e.getMessage());
    }

    @Test
    void elementwise_wrongDerivative_caughtByGradCheck() {
        var bad = ElementwiseFunction.of("badSquare", x -> x * x, x -> x);   // should be 2x
        var x = Variable.of(new float[] {0.5f, -1.5f, 2f}, 3).requiresGrad();
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.assertGradients(in -> bad.apply(in[0]), x));
        assertTrue(e.getMessage().startsWith("gradcheck: failed at input 0 at [2]: analytic "), e.getMessage());
    }

    @Test
    void elementwise_vectorForms_matchTheScalarFormsBitForBit() {
        assumeTrue(KernelProvider.vectorModulePresent(), "jdk.incubator.vector is absent");
        VectorForms.check();
    }

    /** Holds the FloatVector-typed lambdas, so this class loads (and skips) without the module. */
    static final class VectorForms {
        static void check() {
            // The same float operations in the same order, so vector and scalar give the same bits.
            var scalarOnly = ElementwiseFunction.of("cubicish", x -> x * x * 0.5f + x, x -> x + 1f);
            var both = ElementwiseFunction.of("cubicish", x -> x * x * 0.5f + x, x -> x + 1f,
                    v -> v.mul(v).mul(0.5f).add(v), v -> v.add(1f));
            Tensor t = Tensor.randn(new Generator(5), 7, 37);
            var a = Variable.of(t).requiresGrad();
            var b = Variable.of(t).requiresGrad();
            var ya = scalarOnly.apply(a);
            var yb = both.apply(b);
            assertEquals(ya.value(), yb.value());
            Tensor seed = Tensor.randn(new Generator(6), 7, 37);
            ya.backward(seed);
            yb.backward(seed);
            assertEquals(a.grad(), b.grad());
            GradCheck.assertGradients(in -> both.apply(in[0]), a);
        }
    }

    @Test
    void anomalyMode_namesTheOperationAndWhereItWasCreated() {
        var x = Variable.of(new float[] {4, 0}, 2).requiresGrad();
        Variable y;
        try (var anomaly = Autograd.detectAnomaly()) {
            y = x.sqrt().sum();
        }
        assertFalse(Autograd.detectingAnomaly());
        try (var anomaly = Autograd.detectAnomaly()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(e.getMessage().startsWith("backward: sqrt produced infinity in the gradient of input 0 (shape [2]);"
                    + " sqrt was created at dev.nn.autograd.FunctionTest.anomalyMode_namesTheOperationAndWhereItWasCreated("
                    + "FunctionTest.java:"), e.getMessage());
            assertNull(x.grad());
        }
    }

    @Test
    void anomalyMode_isPerThread() throws InterruptedException {
        var x = Variable.of(new float[] {4, 0}, 2).requiresGrad();
        try (var anomaly = Autograd.detectAnomaly()) {
            boolean[] elsewhere = new boolean[1];
            Thread other = new Thread(() -> {
                elsewhere[0] = Autograd.detectingAnomaly();
                x.sqrt().sum().backward();      // passes infinity through: no anomaly mode here
            });
            other.start();
            other.join();
            assertFalse(elsewhere[0]);
            assertTrue(Autograd.detectingAnomaly());
        }
        assertEquals(Float.POSITIVE_INFINITY, x.grad().get(1));
    }

    @Test
    void anomalyModeOff_nonFiniteGradientsPassThrough() {
        var x = Variable.of(new float[] {4, 0}, 2).requiresGrad();
        x.sqrt().sum().backward();
        assertEquals(0.25f, x.grad().get(0));
        assertEquals(Float.POSITIVE_INFINITY, x.grad().get(1));
    }
}
