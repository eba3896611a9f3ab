package dev.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** backward's contract: accumulation, retained graphs, seeds, no-grad, version checks, depth and every misuse message. */
class BackpropTest {

    @Test
    void setGrad_replacesTheGradientWithACopy_andChecksTheShape() {
        var p = new Parameter(Tensor.zeros(2, 2));
        Tensor g = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        p.setGrad(g);
        assertEquals(g, p.grad());
        g.set(9f, 0, 0);
        assertEquals(1f, p.grad().get(0, 0), "a copy");
        p.mul(p).sum().backward();                    // accumulates onto it: + 2p = + 0
        assertEquals(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), p.grad());
        ShapeException e = assertThrows(ShapeException.class,
                () -> p.setGrad(Tensor.zeros(4)));
        assertEquals("setGrad: gradient [4] does not match [2, 2]", e.getMessage());
    }

    @Test
    void backward_accumulatesUntilZeroGrad() {
        var x = Variable.of(new float[] {1, 2, 3}, 3).requiresGrad();
        x.mul(3f).sum().backward();
        x.mul(x).sum().backward();
        assertArrayEquals(new float[] {5, 7, 9}, x.grad().toArray());
        x.zeroGrad();
        assertNull(x.grad());
        x.add(x).sum().backward();
        assertArrayEquals(new float[] {2, 2, 2}, x.grad().toArray());
    }

    @Test
    void backward_sharedUpstreamGradient_isNotAliasedBetweenVariables() {
        var x = Variable.of(new float[] {1, 2}, 2).requiresGrad();
        var y = Variable.of(new float[] {3, 4}, 2).requiresGrad();
        var seed = Tensor.of(new float[] {1, 1}, 2);
        x.add(y).backward(seed);
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[] {4, 4}, x.grad().toArray());
        assertArrayEquals(new float[] {1, 1}, y.grad().toArray());
        assertArrayEquals(new float[] {1, 1}, seed.toArray());
    }

    @Test
    void backward_broadcastGradient_hasTheInputsShapeAndExactSums() {
        var bias = Variable.of(new float[] {0, 0, 0}, 3).requiresGrad();
        var batch = Variable.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4, 3);
        batch.add(bias).sum().backward();
        assertEquals(bias.shape(), bias.grad().shape());
        assertArrayEquals(new float[] {4, 4, 4}, bias.grad().toArray());
    }

    @Test
    void retainGraph_allowsASecondBackward_thenTheGraphIsFreed() {
        var x = Variable.scalar(3).requiresGrad();
        var f = x.mul(x);
        f.backward(null, true);
        f.backward();
        assertEquals(12f, x.grad().item());
        IllegalStateException e = assertThrows(IllegalStateException.class, f::backward);
        assertEquals("backward: the graph through mul was freed by an earlier backward (pass retainGraph = true to"
                + " the first backward to backpropagate twice)", e.getMessage());
        assertEquals(12f, x.grad().item());
    }

    @Test
    void seed_givesTheOutputsGradient() {
        var x = Variable.of(new float[] {1, 2, 3}, 3).requiresGrad();
        var y = x.mul(2f);
        y.backward(Tensor.of(new float[] {1, 10, 100}, 3));
        assertArrayEquals(new float[] {2, 20, 200}, x.grad().toArray());
        assertArrayEquals(new float[] {1, 10, 100}, y.grad().toArray());
    }

    @Test
    void misuse_messages() {
        var x = Variable.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad();
        var y = x.mul(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertEquals("backward: the output has shape [2, 3], not a single value; pass a seed gradient of that shape",
                e.getMessage());
        ShapeException s = assertThrows(ShapeException.class, () -> y.backward(Tensor.ones(3)));
        assertEquals("backward: seed gradient of shape [3] does not match the output's shape [2, 3]", s.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Variable.scalar(1).backward());
        assertEquals("backward: this variable does not require a gradient and has no history (call requiresGrad()"
                + " on the inputs before computing it, outside a no-grad scope)", e.getMessage());
        e = assertThrows(IllegalStateException.class, y::requiresGrad);
        assertEquals("requiresGrad: only leaf variables can be marked; this one was computed by mul (use detach() to"
                + " make a leaf)", e.getMessage());
        assertNull(x.grad());
    }

    @Test
    void gather_badIndices_messagesBeforeAnyWork() {
        var x = Variable.of(new float[6], 2, 3).requiresGrad();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.gather(new int[] {0, 3}));
        assertEquals("gather: index 3 at position 1 is out of range for 3 classes (shape [2, 3])", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> x.gather(new int[] {-1, 0}));
        assertEquals("gather: index -1 at position 0 is out of range for 3 classes (shape [2, 3])", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> x.gather(new int[] {0, Integer.MIN_VALUE}));
        assertEquals("gather: index -2147483648 at position 1 is out of range for 3 classes (shape [2, 3])",
                e.getMessage());
        ShapeException s = assertThrows(ShapeException.class, () -> x.gather(new int[] {0}));
        assertEquals("gather: 1 indices for 2 rows (shape [2, 3])", s.getMessage());
        s = assertThrows(ShapeException.class, () -> Variable.of(new float[3], 3).gather(new int[] {0}));
        assertEquals("gather: expects a 2-D variable [rows, classes], got shape [3]", s.getMessage());
    }

    @Test
    void savedTensorModifiedInPlace_backwardThrowsAndChangesNothing() {
        var w = new Parameter(Tensor.of(new float[] {1, 2, 3}, 3));
        var other = Variable.of(new float[] {1, 1, 1}, 3).requiresGrad();
        var loss = w.mul(w).add(other).sum();
        w.value().addInPlace(Tensor.ones(3), -0.1f);   // an optimizer step before backward
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertEquals("backward: a tensor of shape [3] saved by mul was modified in place after it was saved (version 1,"
                + " expected 0); modify a copy instead, or run backward before the update", e.getMessage());
        assertNull(w.grad());
        assertNull(other.grad());
    }

    @Test
    void deepChain_100000Operations_noRecursion() {
        var x = Variable.scalar(0.5f).requiresGrad();
        Variable y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.add(1f);
        }
        y.mul(2f).backward();
        assertEquals(2f, x.grad().item());
        assertEquals(100_000.5f, y.item());
    }

    @Test
    void noGrad_recordsNothingAndIsRestoredAfterAnException() {
        var x = Variable.scalar(2).requiresGrad();
        try (var scope = Autograd.noGrad()) {
            var y = x.mul(x);
            assertTrue(y.isLeaf());
            assertFalse(y.gradRequired());
            try (var inner = Autograd.enableGrad()) {
                assertTrue(x.mul(x).gradRequired());
            }
            assertFalse(Autograd.gradEnabled());
        }
        assertTrue(Autograd.gradEnabled());
        assertThrows(ArithmeticException.class, () -> {
            try (var scope = Autograd.noGrad()) {
                throw new ArithmeticException("boom");
            }
        });
        assertTrue(Autograd.gradEnabled());
        assertTrue(x.mul(x).gradRequired());
    }

    @Test
    void noGrad_isPerThread() throws Exception {
        var x = Variable.scalar(2).requiresGrad();
        var otherRecorded = new AtomicBoolean();
        Thread other;
        try (var scope = Autograd.noGrad()) {
            other = new Thread(() -> otherRecorded.set(x.mul(x).gradRequired()));
            other.start();
            other.join();
            assertFalse(x.mul(x).gradRequired());
        }
        assertTrue(otherRecorded.get());
        var closedElsewhere = new Throwable[1];
        var scope = Autograd.noGrad();
        Thread t = new Thread(() -> {
            try {
                scope.close();
            } catch (IllegalStateException e) {
                closedElsewhere[0] = e;
            }
        }, "worker");
        t.start();
        t.join();
        scope.close();
        assertTrue(closedElsewhere[0].getMessage().startsWith("noGrad: a scope must be closed on the thread that"
                + " opened it ("));
        assertTrue(Autograd.gradEnabled());
    }

    @Test
    void detach_sharesTheValueWithoutHistory() {
        var x = Variable.scalar(2).requiresGrad();
        var y = x.mul(x);
        var d = y.detach();
        assertSame(y.value(), d.value());
        assertTrue(d.isLeaf());
        assertFalse(d.gradRequired());
        assertNull(d.operation());
        assertEquals("mul", y.operation().name());
    }
}
