package dev.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nn.core.Tensor;
import org.junit.jupiter.api.Test;

/** CS231n lecture 4's worked examples, with its numbers, and the gate patterns it names. */
class LectureTest {

    @Test
    void addThenMultiply_lectureNumbersExactly() {
        var x = Variable.scalar(-2).requiresGrad();
        var y = Variable.scalar(5).requiresGrad();
        var z = Variable.scalar(-4).requiresGrad();
        var q = x.add(y);
        var f = q.mul(z);
        assertEquals(-12f, f.item());
        f.backward();
        assertEquals(-4f, x.grad().item());
        assertEquals(-4f, y.grad().item());
        assertEquals(3f, z.grad().item());
        assertEquals(-4f, q.grad().item());      // intermediates keep their gradient, as the lecture draws them
        assertEquals(1f, f.grad().item());
    }

    @Test
    void sigmoidNeuron_lectureNumbers() {
        var w0 = Variable.scalar(2).requiresGrad();
        var x0 = Variable.scalar(-1).requiresGrad();
        var w1 = Variable.scalar(-3).requiresGrad();
        var x1 = Variable.scalar(-2).requiresGrad();
        var w2 = Variable.scalar(-3).requiresGrad();
        var f = w0.mul(x0).add(w1.mul(x1)).add(w2).sigmoid();
        assertEquals(0.73f, f.item(), 0.005f);
        f.backward();
        assertEquals(-0.20f, w0.grad().item(), 0.005f);
        assertEquals(0.39f, x0.grad().item(), 0.005f);
        assertEquals(-0.39f, w1.grad().item(), 0.005f);
        assertEquals(-0.59f, x1.grad().item(), 0.005f);
        assertEquals(0.20f, w2.grad().item(), 0.005f);
        // and exactly the chain rule's product: dσ(1) = σ(1)(1 - σ(1)) times the other input
        float s = f.item();
        float local = s * (1 - s);
        assertEquals(-1f * local, w0.grad().item(), 1e-7f);
        assertEquals(2f * local, x0.grad().item(), 1e-7f);
    }

    @Test
    void squaredNormOfMatrixVectorProduct_lectureNumbers() {
        var w = Variable.of(new float[] {0.1f, 0.5f, -0.3f, 0.8f}, 2, 2).requiresGrad();
        var x = Variable.of(new float[] {0.2f, 0.4f}, 2).requiresGrad();
        var f = w.matmul(x).square().sum();
        assertEquals(0.116f, f.item(), 1e-6f);
        f.backward();
        assertArrayEquals(new float[] {0.088f, 0.176f, 0.104f, 0.208f}, w.grad().toArray(), 1e-6f);
        assertArrayEquals(new float[] {-0.112f, 0.636f}, x.grad().toArray(), 1e-6f);
    }

    @Test
    void addGate_distributesTheGradient() {
        var a = Variable.scalar(3).requiresGrad();
        var b = Variable.scalar(-1).requiresGrad();
        a.add(b).backward(Tensor.scalar(2));
        assertEquals(2f, a.grad().item());
        assertEquals(2f, b.grad().item());
    }

    @Test
    void maxGate_routesTheGradient() {
        var a = Variable.scalar(3).requiresGrad();
        var b = Variable.scalar(-1).requiresGrad();
        a.max(b).backward(Tensor.scalar(2));
        assertEquals(2f, a.grad().item());
        assertEquals(0f, b.grad().item());
    }

    @Test
    void mulGate_swapsTheInputs() {
        var a = Variable.scalar(3).requiresGrad();
        var b = Variable.scalar(-1).requiresGrad();
        a.mul(b).backward(Tensor.scalar(2));
        assertEquals(-2f, a.grad().item());
        assertEquals(6f, b.grad().item());
    }

    @Test
    void constantInput_getsNoGradient() {
        var a = Variable.scalar(3).requiresGrad();
        var c = Variable.scalar(4);
        a.mul(c).backward();
        assertEquals(4f, a.grad().item());
        assertNull(c.grad());
    }
}
