package dev.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nn.core.Backend;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code zeroGrad(false)}: the gradient keeps its storage, and the next backward writes into it
 * with the bits a fresh gradient would have, allocates no new one, and on failure leaves the zeros.
 */
class ZeroGradInPlaceTest {

    private static final Generator G = new Generator(7);
    private static final Tensor X = Tensor.randn(G, 5, 7);
    private static final Tensor W = Tensor.randn(G, 3, 7);
    private static final Tensor B = Tensor.randn(G, 3);
    private static final Tensor V = Tensor.randn(G, 3, 4);

    /**
     * A small graph: linear, a nonlinearity, matmul by a second parameter; when tied, w also feeds a
     * second linear and a square whose gradient backward reaches before either linear's.
     */
    private static Variable loss(Parameter w, Parameter b, Parameter v, boolean tied) {
        Variable h = Variable.of(X).linear(w, b).tanh();
        Variable y = h.transpose().matmul(h.matmul(v));
        if (tied) {
            y = y.add(Variable.of(X).linear(w, null).relu().sum());
        }
        Variable loss = y.mul(y).sum();
        return tied ? loss.add(w.mul(w).sum()) : loss;
    }

    private static Parameter[] params() {
        return new Parameter[] {new Parameter(W.copy()), new Parameter(B.copy()), new Parameter(V.copy())};
    }

    @Test
    void zeroGradFalse_fillsTheSameTensorWithZeros_andLeavesNullAsNull() {
        var p = new Parameter(W.copy());
        p.zeroGrad(false);
        assertNull(p.grad());
        p.mul(p).sum().backward();
        Tensor g = p.grad();
        int version = g.version();
        p.zeroGrad(false);
        assertSame(g, p.grad());
        assertArrayEquals(new float[21], g.toArray());
        assertTrue(g.version() > version, "a write: saved copies of it would be caught");
        p.zeroGrad(true);
        assertNull(p.grad());
    }

    @Test
    void backwardAfterZeroGradFalse_writesIntoTheSameTensors_theBitsOfFreshGradients() {
        for (boolean tied : new boolean[] {false, true}) {
            Parameter[] fresh = params();
            Parameter[] kept = params();
            Tensor[] storage = new Tensor[3];
            for (int step = 0; step < 3; step++) {
                for (int i = 0; i < 3; i++) {
                    fresh[i].zeroGrad();
                    kept[i].zeroGrad(false);
                }
                loss(fresh[0], fresh[1], fresh[2], tied).backward();
                loss(kept[0], kept[1], kept[2], tied).backward();
                for (int i = 0; i < 3; i++) {
                    assertEquals(fresh[i].grad(), kept[i].grad(), "tied " + tied + ", step " + step + ", parameter " + i);
                    if (step > 0) {
                        assertSame(storage[i], kept[i].grad(), "parameter " + i + " keeps its gradient's storage");
                    }
                    storage[i] = kept[i].grad();
                }
            }
        }
    }

    @Test
    void backwardAfterZeroGradFalse_doesNotAllocateTheWeightsGradient() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs per-thread allocation counters");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var w = new Parameter(Tensor.randn(G, 256, 512));          // its gradient: 512 KiB
        Variable x = Variable.of(Tensor.randn(G, 4, 512));
        long weightBytes = 4L * 256 * 512;
        // The fewest bytes over rounds, on the scalar kernels and this thread alone: what the
        // kernels allocate (Vector API values JDK 17 leaves as objects, the scalar tiles' sums)
        // is the same in both modes, so the difference is backward's.
        long[] bytes = {Long.MAX_VALUE, Long.MAX_VALUE};
        try (Backend scalar = Backend.builder().threads(1).kernels("scalar").build(); var scope = scalar.use()) {
            for (int round = 0; round < 20; round++) {
                for (int mode = 0; mode < 2; mode++) {
                    w.zeroGrad(mode == 0);
                    long id = Thread.currentThread().getId();
                    Variable loss = x.linear(w, null).sum();
                    long before = threads.getThreadAllocatedBytes(id);
                    loss.backward();
                    bytes[mode] = Math.min(bytes[mode], threads.getThreadAllocatedBytes(id) - before);
                }
            }
        }
        assertTrue(bytes[0] - bytes[1] > weightBytes * 9 / 10, "set to none " + bytes[0] + " bytes, kept "
                + bytes[1] + ": the kept gradient is written over, not allocated");
    }

    @Test
    void failedBackward_leavesTheKeptGradientsZero() {
        Parameter[] p = params();
        loss(p[0], p[1], p[2], false).backward();
        Tensor kept = p[0].grad();
        for (Parameter q : p) {
            q.zeroGrad(false);
        }
        // Backward reaches linear (which writes w's gradient) before the gate that throws.
        var input = Variable.of(X).requiresGrad();
        Variable broken = new dev.nn.autograd.Function("broken") {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].copy();
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor grad) {
                throw new IllegalStateException("broken backward");
            }
        }.apply(input);
        Variable loss = broken.linear(p[0], p[1]).sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertEquals("broken backward", e.getMessage());
        assertSame(kept, p[0].grad());
        assertArrayEquals(new float[21], kept.toArray());
        assertArrayEquals(new float[3], p[1].grad().toArray());
        assertNull(input.grad());

        Parameter[] fresh = params();
        loss(fresh[0], fresh[1], fresh[2], false).backward();
        loss(p[0], p[1], p[2], false).backward();
        assertEquals(fresh[0].grad(), p[0].grad(), "the next backward writes over the restored zeros");
    }

    @Test
    void writtenAfterZeroGrad_backwardAddsToIt() {
        Parameter[] fresh = params();
        Parameter[] kept = params();
        loss(kept[0], kept[1], kept[2], false).backward();
        kept[0].zeroGrad(false);
        kept[0].grad().addInPlace(Tensor.ones(3, 7), 1f);
        fresh[0].setGrad(Tensor.ones(3, 7));
        for (int i = 1; i < 3; i++) {
            kept[i].zeroGrad(false);
        }
        loss(fresh[0], fresh[1], fresh[2], false).backward();
        loss(kept[0], kept[1], kept[2], false).backward();
        for (int i = 0; i < 3; i++) {
            assertEquals(fresh[i].grad(), kept[i].grad(), "parameter " + i);
        }
    }

    @Test
    void aKeptGradientThatTheGraphReads_isNotWrittenOver() {
        // w's kept gradient z is also a factor that mul saves; backward reaches linear, which
        // computes w's gradient, before that mul, whose gradient for q is y·z.
        Tensor x = Tensor.randn(G, 7, 7);
        var w = new Parameter(Tensor.randn(G, 7, 7));
        var q = new Parameter(Tensor.randn(G, 7, 7));
        w.mul(w).sum().backward();
        Tensor z = w.grad();
        Tensor before = z.copy();
        w.zeroGrad(false);
        Variable y = Variable.of(x).linear(w, null);
        q.mul(Variable.of(z)).mul(y).sum().add(y.sum()).backward();

        var qRef = new Parameter(q.value().copy());
        var wRef = new Parameter(w.value().copy());
        Variable yRef = Variable.of(x).linear(wRef, null);
        qRef.mul(Variable.of(before)).mul(yRef).sum().add(yRef.sum()).backward();
        assertEquals(qRef.grad(), q.grad(), "mul read what it saved, not w's new gradient");
        assertSame(z, w.grad());
        assertArrayEquals(wRef.grad().toArray(), w.grad().toArray(), 0f);
    }
}
