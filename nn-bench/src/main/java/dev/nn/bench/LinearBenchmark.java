package dev.nn.bench;

import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
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
 * A Linear(784, 512) + ReLU layer at batch 128, forward and backward (gradients for the weight,
 * the bias and the input, as for a layer inside a network), against its anchor: the three GEMMs
 * alone at the same shapes ({@code 128x512x784:NT} forward, {@code 512x784x128:TN} weight
 * gradient, {@code 128x784x512:NN} input gradient). The ratio layer / GEMMs is what the rest of
 * the layer costs (target: at most 1.1). Threads come from {@code -Dnn.threads}, given with
 * {@code -jvmArgsAppend} (which keeps the heap settings below).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// A fixed, pre-touched heap: the layer allocates about 1.5 MB per step more than the bare products, and
// first touches of a growing heap cost page faults that are slow on these VMs and would be charged to it.
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class LinearBenchmark {

    static final int BATCH = 128;
    static final int IN = 784;
    static final int OUT = 512;

    private Linear linear;
    private ReLU relu;
    private Tensor x;
    private Tensor seed;
    private Tensor w;

    @Setup
    public void setup() {
        Generator g = new Generator(42);
        linear = new Linear(IN, OUT, true, g);
        relu = new ReLU();
        x = Tensor.randn(g, BATCH, IN);
        seed = Tensor.randn(g, BATCH, OUT);
        w = linear.weight().value();
    }

    /** Forward and backward through the layer; returns an element of the input's gradient. */
    @Benchmark
    public float linearRelu() {
        linear.zeroGrad();
        Variable input = Variable.of(x).requiresGrad();
        relu.forward(linear.forward(input)).backward(seed);
        return input.grad().get(0, 0);
    }

    /** The same three products with nothing around them. */
    @Benchmark
    public float gemmsOnly() {
        Tensor y = Tensor.matmul(x, false, w, true);
        Tensor dw = Tensor.matmul(seed, true, x, false);
        Tensor dx = Tensor.matmul(seed, false, w, false);
        return y.get(0, 0) + dw.get(0, 0) + dx.get(0, 0);
    }
}
