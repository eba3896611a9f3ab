package dev.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Module's bookkeeping, Sequential and Linear. */
class ModuleTest {

    static Sequential mlp() {
        Generator g = new Generator(1);
        return new Sequential(new Linear(4, 8, true, g), new ReLU(), new Linear(8, 3, true, g));
    }

    @Test
    void namedParameters_dottedLikePyTorch_andCounted() {
        Sequential m = mlp();
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(4 * 8 + 8 + 8 * 3 + 3, m.parameterCount());
        assertEquals(4, m.parameters().size());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(m.stateDict().keySet()));
    }

    @Test
    void sharedParameter_listedOnceAndCountedOnce() {
        Linear shared = new Linear(3, 3, false, new Generator(2));
        Sequential m = new Sequential(shared, new Tanh(), shared);
        assertEquals(1, m.parameters().size());
        assertEquals(9, m.parameterCount());
        assertEquals(List.of("0.weight", "2.weight"), List.copyOf(m.namedParameters().keySet()));
    }

    @Test
    void trainEval_recursive_andZeroGrad() {
        Sequential m = new Sequential(mlp(), new Dropout(0.5f));
        assertTrue(m.get(0).isTraining());
        m.eval();
        assertFalse(m.isTraining());
        assertFalse(((Sequential) m.get(0)).get(2).isTraining());
        m.train();
        assertTrue(((Sequential) m.get(0)).get(1).isTraining());
        m.forward(Variable.of(Tensor.ones(2, 4))).sum().backward();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null));
        m.zeroGrad();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() == null));
    }

    @Test
    void toString_treeWithShapesCountsAndTotals() {
        Sequential m = new Sequential(mlp(), new BatchNorm1d(3));
        assertEquals("Sequential(\n"
                + "  (0): Sequential(\n"
                + "    (0): Linear(in=4, out=8)  weight [8, 4], bias [8]  40 params\n"
                + "    (1): ReLU()\n"
                + "    (2): Linear(in=8, out=3)  weight [3, 8], bias [3]  27 params\n"
                + "  )\n"
                + "  (1): BatchNorm1d(3)  weight [3], bias [3]  6 params\n"
                + ")\n"
                + "Total params: 80 (0.31 KB)\n"
                + "Trainable params: 73\n"
                + "Non-trainable params: 7", m.toString());
    }

    @Test
    void registration_badNames_messages() {
        Module m = new Module() {
            {
                registerParameter("w", new Parameter(Tensor.ones(1)));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> registerParameter("w", new Parameter(Tensor.ones(1))));
                assertTrue(e.getMessage().endsWith(": name \"w\" is already registered"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> registerBuffer("a.b", Tensor.ones(1)));
                assertTrue(e.getMessage().endsWith(": name \"a.b\" must be non-empty and contain no dot"), e.getMessage());
            }

            @Override
            public Variable forward(Variable input) {
                return input;
            }
        };
        assertEquals(1, m.parameters().size());
    }

    @Test
    void linear_knownAnswer() {
        Linear layer = new Linear(3, 2, true, new Generator(3));
        layer.weight().value().copyInPlace(Tensor.of(new float[] {1, 2, 3, -1, 0, 1}, 2, 3));
        layer.bias().value().copyInPlace(Tensor.of(new float[] {0.5f, -0.5f}, 2));
        Variable y = layer.forward(Variable.of(new float[] {1, 1, 1, 2, 0, -1}, 2, 3));
        assertArrayEquals(new float[] {6.5f, -0.5f, -0.5f, -3.5f}, y.value().toArray());
        Variable single = layer.forward(Variable.of(new float[] {1, 1, 1}, 3));
        assertArrayEquals(new int[] {2}, single.shape().dims());
        Variable batched = layer.forward(Variable.of(Tensor.ones(4, 5, 3)));
        assertArrayEquals(new int[] {4, 5, 2}, batched.shape().dims());
        assertEquals(6.5f, batched.value().get(3, 4, 0));
    }

    @Test
    void linear_initLikePyTorch_deterministicPerGenerator() {
        Linear a = new Linear(100, 50, true, new Generator(9));
        Linear b = new Linear(100, 50, true, new Generator(9));
        assertEquals(a.weight().value(), b.weight().value());
        float bound = 0.1f;
        float max = 0;
        for (float w : a.weight().value().toArray()) {
            max = Math.max(max, Math.abs(w));
        }
        assertTrue(max <= bound && max > 0.9f * bound, "max |w| = " + max);
        assertNull(new Linear(3, 2, false).bias());
        assertEquals(6, new Linear(3, 2, false).parameterCount());
    }

    @Test
    void linear_wrongFeatures_messagePrefixedBySequential() {
        Sequential m = new Sequential(new Linear(32, 64), new ReLU(), new Linear(32, 10));
        ShapeException e = assertThrows(ShapeException.class, () -> m.forward(Variable.of(Tensor.ones(5, 32))));
        assertEquals("Sequential[2] Linear(in=32, out=10): input has 64 features, expected 32", e.getMessage());
        Linear alone = new Linear(64, 10, false);
        e = assertThrows(ShapeException.class, () -> alone.forward(Variable.of(Tensor.ones(5, 32))));
        assertEquals("Linear(in=64, out=10, bias=false): input has 32 features, expected 64", e.getMessage());
    }

    @Test
    void flatten_keepsTheBatchDimension_andPassesGradients() {
        Variable x = Variable.of(Tensor.arange(24).reshape(2, 3, 4)).requiresGrad();
        Variable y = new Flatten().forward(x);
        assertArrayEquals(new int[] {2, 12}, y.shape().dims());
        y.mul(y).sum().backward();
        assertArrayEquals(Tensor.arange(24).mul(Tensor.scalar(2f)).toArray(), x.grad().toArray());
        ShapeException e = assertThrows(ShapeException.class, () -> new Flatten().forward(Variable.scalar(1)));
        assertEquals("Flatten(): needs a batch dimension, got shape []", e.getMessage());
    }

    @Test
    void sequential_incrementalAndIndexed() {
        Sequential m = new Sequential();
        Linear l = new Linear(2, 2);
        assertSame(m, m.add(l).add(new Sigmoid()));
        assertEquals(2, m.size());
        assertSame(l, m.get(0));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> m.get(2));
        assertEquals("Sequential: index 2 is out of range for 2 modules", e.getMessage());
    }

    /**
     * With no graph recorded, each built-in activation after a Linear runs in place on the
     * Linear's output (its version advances), in a chain too, and gives the bits of the recorded
     * forward, which runs each module on its own.
     */
    @Test
    void sequential_noGrad_builtInActivationAfterLinear_inPlace_sameBits() {
        Module[] activations = {new ReLU(), new LeakyReLU(0.1f), new ELU(0.7f), new SELU(), new GELU(),
            new GELU(GELU.Approximation.TANH), new SiLU(), new Mish(), new Softplus(), new Softsign(), new Tanh(),
            new Sigmoid()};
        Generator g = new Generator(5);
        Tensor x = Tensor.rand(g, 9, 37).sub(Tensor.scalar(0.5f)).mul(Tensor.scalar(6f));
        for (Module a : activations) {
            Sequential m = new Sequential(new Linear(37, 70, true, g), a);
            Variable recorded = m.forward(Variable.of(x));
            assertTrue(recorded.gradRequired());
            assertEquals(0, recorded.value().version(), a.toString());
            Variable inPlace;
            try (var scope = Autograd.noGrad()) {
                inPlace = m.forward(Variable.of(x));
            }
            assertEquals(1, inPlace.value().version(), a.toString());
            assertArrayEquals(recorded.value().toArray(), inPlace.value().toArray(), a.toString());
        }
        Sequential chain = new Sequential(new Linear(37, 70, true, g), new ReLU(), new Tanh(), new Linear(70, 4, true, g),
                new Sigmoid());
        Variable recorded = chain.forward(Variable.of(x));
        try (var scope = Autograd.noGrad()) {
            Variable inPlace = chain.forward(Variable.of(x));
            assertEquals(1, inPlace.value().version());
            assertArrayEquals(recorded.value().toArray(), inPlace.value().toArray());
        }
    }

    /**
     * Nothing runs in place on a tensor Sequential does not own: its input, a subclass's output (a
     * Linear that hands back a tensor it keeps), or through a subclass of an activation (which may
     * override forward).
     */
    @Test
    void sequential_noGrad_notInPlace_onItsInput_orThroughSubclasses() {
        Generator g = new Generator(6);
        Tensor x = Tensor.rand(g, 3, 4).sub(Tensor.scalar(0.5f));
        float[] before = x.toArray();
        Variable kept = Variable.of(Tensor.rand(g, 3, 4).sub(Tensor.scalar(0.5f)));
        float[] keptBefore = kept.value().toArray();
        Linear keeping = new Linear(4, 4, true, g) {
            @Override
            public Variable forward(Variable in) {
                return kept;
            }
        };
        ReLU tanhInstead = new ReLU() {
            @Override
            public Variable forward(Variable in) {
                return in.tanh();
            }
        };
        Linear plain = new Linear(4, 4, true, g);
        try (var scope = Autograd.noGrad()) {
            new Sequential(new ReLU(), new Tanh()).forward(Variable.of(x));
            assertArrayEquals(before, x.toArray());
            assertEquals(0, x.version());
            new Sequential(keeping, new ReLU()).forward(Variable.of(x));
            assertArrayEquals(keptBefore, kept.value().toArray());
            Tensor y = new Sequential(plain, tanhInstead).forward(Variable.of(x)).value();
            assertArrayEquals(plain.forward(Variable.of(x)).value().tanh().toArray(), y.toArray());
        }
    }

    /** The MNIST MLP's logits for x, from its weights by plain matrix products (no packed copies). */
    static float[] mlpByMatmul(Sequential mlp, Tensor x) {
        Tensor h = x;
        for (int i = 0; i < 5; i += 2) {
            Linear l = (Linear) mlp.get(i);
            h = Tensor.matmul(h, false, l.weight().value(), true).add(l.bias().value());
            h = i < 4 ? h.relu() : h;
        }
        return h.toArray();
    }

    @Test
    void inference_sixteenThreadsOnOneModel_sameAsOneThread_andFollowsLoadedWeights() throws Exception {
        Generator g = new Generator(31);
        Sequential mlp = new Sequential(new Linear(784, 512, true, g), new ReLU(), new Linear(512, 256, true, g),
                new ReLU(), new Linear(256, 10, true, g));
        mlp.eval();
        Tensor[] requests = new Tensor[32];
        float[][] want = new float[requests.length][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = Tensor.rand(g, 1 + i % 8, 784);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 3; round++) {
                if (round > 0) {
                    // New weights, as a reload would bring: every request must see them.
                    Sequential other = new Sequential(new Linear(784, 512, true, g), new ReLU(),
                            new Linear(512, 256, true, g), new ReLU(), new Linear(256, 10, true, g));
                    mlp.loadStateDict(other.stateDict());
                }
                for (int i = 0; i < requests.length; i++) {
                    try (var scope = Autograd.noGrad()) {
                        want[i] = mlp.forward(Variable.of(requests[i])).value().toArray();
                    }
                    // The bias enters the sums first here and last in the reference: equal to rounding.
                    assertArrayEquals(mlpByMatmul(mlp, requests[i]), want[i], 1e-4f, "round " + round + " request " + i);
                }
                java.util.List<java.util.concurrent.Future<float[]>> got = new java.util.ArrayList<>();
                for (Tensor x : requests) {
                    got.add(pool.submit(() -> {
                        try (var scope = Autograd.noGrad()) {
                            return mlp.forward(Variable.of(x)).value().toArray();
                        }
                    }));
                }
                for (int i = 0; i < requests.length; i++) {
                    assertArrayEquals(want[i], got.get(i).get(), "round " + round + " request " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
