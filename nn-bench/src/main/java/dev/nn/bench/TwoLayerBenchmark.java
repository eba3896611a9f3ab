package dev.nn.bench;

import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SGD step of the lecture's two-layer network (N, D_in, H, D_out = 64, 1000, 100, 10;
 * sigmoid hidden layer, squared-error loss, learning rate 1e-4), in two forms that do the same
 * arithmetic: {@code handWritten}, the NumPy program transcribed to nn-core calls with its
 * gradients written out, and {@code autograd}, the same network on {@link Variable}s with
 * {@code backward()}. The ratio autograd / handWritten is the cost of the graph (target: at
 * most 1.15). Threads come from {@code -Dnn.threads} (the runner passes 1 and 2).
 * {@code compare_twolayer.py} times NumPy and PyTorch on the same loop in the same invocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)         // about 6000 steps: every kernel compiled by C2
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class TwoLayerBenchmark {

    static final int N = 64;
    static final int D_IN = 1000;
    static final int H = 100;
    static final int D_OUT = 10;
    static final float LR = 1e-4f;

    private static final Tensor ONE = Tensor.scalar(1f);
    private static final Tensor TWO = Tensor.scalar(2f);

    private Tensor x;
    private Tensor y;
    private Tensor w1;
    private Tensor w2;
    private Variable xv;
    private Variable yv;
    private Parameter p1;
    private Parameter p2;

    @Setup
    public void setup() {
        Generator g = new Generator(42);
        x = Tensor.randn(g, N, D_IN);
        y = Tensor.randn(g, N, D_OUT);
        Tensor init1 = Tensor.randn(g, D_IN, H);
        Tensor init2 = Tensor.randn(g, H, D_OUT);
        w1 = init1.copy();
        w2 = init2.copy();
        xv = Variable.of(x);
        yv = Variable.of(y);
        p1 = new Parameter(init1.copy());
        p2 = new Parameter(init2.copy());
    }

    /** The lecture's NumPy loop body on nn-core: forward, hand-derived gradients, SGD. Returns the loss. */
    @Benchmark
    public float handWritten() {
        Tensor h = x.matmul(w1).sigmoid();
        Tensor yPred = h.matmul(w2);
        Tensor diff = yPred.sub(y);
        float loss = diff.square().sum().item();

        Tensor gradYPred = diff.mul(TWO);
        Tensor gradW2 = Tensor.matmul(h, true, gradYPred, false);             // hᵀ·dY
        Tensor gradH = Tensor.matmul(gradYPred, false, w2, true);             // dY·w2ᵀ
        Tensor gradW1 = Tensor.matmul(x, true, gradH.mul(h).mul(ONE.sub(h)), false);
        w1.addInPlace(gradW1, -LR);
        w2.addInPlace(gradW2, -LR);
        return loss;
    }

    /** The same step through the graph: forward on Variables, backward(), SGD on the parameters. */
    @Benchmark
    public float autograd() {
        Variable loss = xv.matmul(p1).sigmoid().matmul(p2).sub(yv).square().sum();
        p1.zeroGrad();
        p2.zeroGrad();
        loss.backward();
        p1.value().addInPlace(p1.grad(), -LR);
        p2.value().addInPlace(p2.grad(), -LR);
        return loss.item();
    }
}
