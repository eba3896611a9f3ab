package dev.nn.bench;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Answering requests: the no-grad forward pass of a model in evaluation mode, as a server runs it.
 * {@link #mlp} is the MNIST MLP (784-512-256-10, ReLU) at {@code batch} rows; {@link #spiral} the
 * spiral example's network (2-100-3, ReLU), where the work is small and the JVM's low call
 * overhead shows. {@code compare_inference.py} times PyTorch's same forwards in the same
 * invocation. Threads come from {@code -Dnn.threads}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class InferenceBenchmark {

    /** Rows per request. */
    @Param({"1", "4", "16", "64"})
    public int batch;

    private Sequential mlp;
    private Variable x;
    private Sequential spiral;
    private Variable point;

    @Setup
    public void setup() {
        Generator g = new Generator(42);
        mlp = new Sequential(new Linear(784, 512, true, g), new ReLU(), new Linear(512, 256, true, g), new ReLU(),
                new Linear(256, 10, true, g));
        mlp.eval();
        x = Variable.of(Tensor.rand(g, batch, 784));
        spiral = new Sequential(new Linear(2, 100, true, g), new ReLU(), new Linear(100, 3, true, g));
        spiral.eval();
        point = Variable.of(Tensor.rand(g, batch, 2));
    }

    /** One forward of the MNIST MLP at {@code batch} rows; returns the logits, {@code [batch, 10]}. */
    @Benchmark
    public Tensor mlp() {
        try (var scope = Autograd.noGrad()) {
            return mlp.forward(x).value();
        }
    }

    /** One forward of the spiral network at {@code batch} rows; returns its scores, {@code [batch, 3]}. */
    @Benchmark
    public Tensor spiral() {
        try (var scope = Autograd.noGrad()) {
            return spiral.forward(point).value();
        }
    }
}
