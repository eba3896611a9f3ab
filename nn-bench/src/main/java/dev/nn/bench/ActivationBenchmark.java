package dev.nn.bench;

import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorFunction;
import dev.nn.core.function.FloatMath;
import dev.nn.core.function.VectorMath;
import dev.nn.layers.Activation;
import dev.nn.layers.GELU;
import dev.nn.layers.Module;
import dev.nn.layers.ReLU;
import dev.nn.layers.SiLU;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
 * An activation's forward and backward over a [128, 512] batch (a hidden layer of the MNIST MLP,
 * L2-resident), then {@code sum().backward()}: the built-in ReLU, SiLU and GELU, swish declared by the
 * user three ways (two scalar lambdas, two {@code FloatVector} lambdas, composed of built-ins), and
 * the identity, which is the graph's and the sum's share alone. The vector swish uses nn's
 * {@code VectorMath.sigmoid}, the polynomial the built-in SiLU runs; the scalar lambdas
 * {@code Math.exp}, as users write them. {@code others} user activations,
 * each written both ways, are created and run before the measurement, as a program that defines
 * several would. {@code compare_activation.py} times PyTorch's same passes in the same invocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class ActivationBenchmark {

    /** Other user activations alive and used before the measurement (each as scalar and vector lambdas). */
    @Param({"0"})
    public int others;

    // Ten distinct lambdas per form: a lambda expression is one class, so each must be written out.
    private static final FloatFunction[] OTHER_F = {
        x -> x * x, x -> x * x * x, x -> x / (1f + Math.abs(x)), x -> x + 0.5f * x * x, x -> Math.max(x, 0.1f * x),
        x -> x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f, x -> 2f * x - 1f, x -> x - x * x * x / 3f,
        x -> (float) Math.tanh(x), x -> (float) Math.log1p(Math.exp(x)),
    };
    private static final FloatFunction[] OTHER_D = {
        x -> 2f * x, x -> 3f * x * x, x -> 1f / ((1f + Math.abs(x)) * (1f + Math.abs(x))), x -> 1f + x,
        x -> x > 0.1f * x ? 1f : 0.1f, x -> x < -3f ? 0f : x > 3f ? 1f : (2f * x + 3f) / 6f, x -> 2f, x -> 1f - x * x,
        x -> 1f - (float) (Math.tanh(x) * Math.tanh(x)), x -> 1f / (1f + (float) Math.exp(-x)),
    };
    private static final VectorFunction[] OTHER_VF = {
        v -> v.mul(v), v -> v.mul(v).mul(v), v -> v.div(v.abs().add(1f)), v -> v.mul(v).mul(0.5f).add(v),
        v -> v.max(v.mul(0.1f)), v -> v.mul(v.add(3f).max(0f).min(6f)).div(6f), v -> v.mul(2f).sub(1f),
        v -> v.sub(v.mul(v).mul(v).div(3f)), v -> v.lanewise(VectorOperators.TANH),
        v -> v.lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P),
    };
    private static final VectorFunction[] OTHER_VD = {
        v -> v.mul(2f), v -> v.mul(v).mul(3f), v -> v.broadcast(1f).div(v.abs().add(1f).mul(v.abs().add(1f))),
        v -> v.add(1f), v -> v.broadcast(1f).blend(0.1f, v.compare(VectorOperators.LE, 0f)),
        v -> v.mul(2f).add(3f).div(6f).blend(0f, v.compare(VectorOperators.LT, -3f))
                .blend(1f, v.compare(VectorOperators.GT, 3f)), v -> v.broadcast(2f), v -> v.mul(v).neg().add(1f),
        v -> v.lanewise(VectorOperators.TANH).mul(v.lanewise(VectorOperators.TANH)).neg().add(1f),
        v -> v.broadcast(1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f)),
    };

    private Variable x;
    private final Module relu = new ReLU();
    private final Module silu = new SiLU();
    private final Module gelu = new GELU();
    private Activation swishLambdas;
    private Activation swishVectors;
    private Activation swishComposed;
    private Activation identity;
    private final List<Activation> alive = new ArrayList<>();

    @Setup
    public void setup() {
        x = Variable.of(Tensor.randn(new Generator(42), 128, 512)).requiresGrad();
        swishLambdas = Activation.of("swish", v -> v / (1f + (float) Math.exp(-v)), v -> {
            float s = 1f / (1f + (float) Math.exp(-v));
            return s * (1f + v * (1f - s));
        });
        swishVectors = Activation.of("swish", v -> v * FloatMath.sigmoid(v), v -> {
            float s = FloatMath.sigmoid(v);
            return s * (1f + v * (1f - s));
        }, v -> v.mul(VectorMath.sigmoid(v)), v -> swishDerivative(v));
        swishComposed = Activation.of("swish", v -> v.mul(v.sigmoid()));
        identity = Activation.of("identity", v -> v);
        for (int i = 0; i < others; i++) {
            int k = i % OTHER_F.length;
            alive.add(Activation.of("scalar" + i, OTHER_F[k], OTHER_D[k]));
            alive.add(Activation.of("vector" + i, OTHER_F[k], OTHER_D[k], OTHER_VF[k], OTHER_VD[k]));
        }
        // Run each of them enough for the JIT to compile whatever loops they share, as a program would.
        for (int round = 0; round < 200; round++) {
            for (Activation a : alive) {
                step(a);
            }
        }
    }

    /** swish's derivative on vectors, σ(x)·(1 + x·(1 - σ(x))), with nn's vector sigmoid (FloatMath's bits). */
    static FloatVector swishDerivative(FloatVector v) {
        FloatVector s = VectorMath.sigmoid(v);
        return s.mul(s.neg().add(1f).mul(v).add(1f));
    }

    private Tensor step(Module activation) {
        x.zeroGrad();
        activation.forward(x).sum().backward();
        return x.grad();
    }

    /** The built-in ReLU. */
    @Benchmark
    public Tensor relu() {
        return step(relu);
    }

    /** The built-in SiLU, {@code x·σ(x)}. */
    @Benchmark
    public Tensor silu() {
        return step(silu);
    }

    /** The built-in exact GELU, {@code x·Φ(x)}. */
    @Benchmark
    public Tensor gelu() {
        return step(gelu);
    }

    /** swish declared by its function and derivative as scalar lambdas. */
    @Benchmark
    public Tensor swishLambdas() {
        return step(swishLambdas);
    }

    /** swish declared with {@code FloatVector} forms of its function and derivative beside the scalar ones. */
    @Benchmark
    public Tensor swishVectors() {
        return step(swishVectors);
    }

    /** swish composed of built-in operations, {@code x.mul(x.sigmoid())}. */
    @Benchmark
    public Tensor swishComposed() {
        return step(swishComposed);
    }

    /** The identity: the graph's and {@code sum().backward()}'s cost alone. */
    @Benchmark
    public Tensor identity() {
        return step(identity);
    }
}
