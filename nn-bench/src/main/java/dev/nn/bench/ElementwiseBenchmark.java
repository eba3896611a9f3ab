package dev.nn.bench;

import dev.nn.core.Backend;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.BinaryOp;
import dev.nn.core.kernel.KernelProvider;
import dev.nn.core.kernel.Parallel;
import dev.nn.core.kernel.ElementwiseKernels;
import dev.nn.core.kernel.ScalarElementwise;
import dev.nn.core.kernel.UnaryOp;
import java.util.Random;
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
 * Elementwise kernels on 16M floats (64 MiB per array, far beyond the caches), beside a
 * STREAM-style triad {@code a[i] = b[i] + s·c[i]} measured in the same run as the
 * memory-bandwidth anchor. Bytes moved per call: add and triad 3 × 64 MiB, relu, exp, log and erf
 * 2 × 64 MiB; {@code compare_numpy.py} turns times into GB/s. Kernel benchmarks run on one
 * thread beside {@code triad}; the Tensor variants allocate (and so zero) their result and split
 * the work across the shared pool ({@code -Dnn.threads}), beside {@code triadThreads}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// A pre-touched heap: first touches of fresh memory fault slowly on these microVMs, so a
// Tensor op allocating 64 MiB measured 330 ms instead of 13 ms without it.
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class ElementwiseBenchmark {

    // 16M floats, minus one so the tail loop runs too.
    static final int N = (1 << 24) - 1;
    static final int CHUNK = 1 << 16;
    private final Parallel pool = new Parallel(Backend.defaultBackend().threads(), "triad");

    private float[] x;
    private float[] y;
    private float[] z;
    private Tensor tx;
    private Tensor ty;
    private ElementwiseKernels simd;
    private final ElementwiseKernels scalar = ScalarElementwise.INSTANCE;

    @Setup
    public void setup() {
        Random r = new Random(1);
        x = new float[N];
        y = new float[N];
        z = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = r.nextFloat() * 8 - 4;
            y[i] = r.nextFloat();
        }
        tx = Tensor.of(x, N);
        ty = Tensor.of(y, N);
        simd = KernelProvider.simd().elementwise();
    }

    @Benchmark
    public float[] triad() {
        float s = 1.5f;
        for (int i = 0; i < N; i++) {
            z[i] = x[i] + s * y[i];
        }
        return z;
    }

    @Benchmark
    public float[] triadThreads() {
        // The same triad split into the chunks Tensor ops use, on a pool as large as the default
        // backend's: the anchor for the multi-threaded tensor* benchmarks.
        float s = 1.5f;
        pool.forEach((N + CHUNK - 1) / CHUNK, t -> {
            int end = Math.min(N, (t + 1) * CHUNK);
            for (int i = t * CHUNK; i < end; i++) {
                z[i] = x[i] + s * y[i];
            }
        });
        return z;
    }

    @Benchmark
    public float[] addSimd() {
        simd.binary(BinaryOp.ADD, x, 0, 1, y, 0, 1, z, 0, N);
        return z;
    }

    /** A reduction: the deterministic sum (16 partial sums in a fixed tree) on the SIMD kernels. */
    @Benchmark
    public float sumSimd() {
        return simd.sum(x, 0, N);
    }

    /** The same sum on the scalar twin. */
    @Benchmark
    public float sumScalar() {
        return scalar.sum(x, 0, N);
    }

    @Benchmark
    public float[] addScalar() {
        scalar.binary(BinaryOp.ADD, x, 0, 1, y, 0, 1, z, 0, N);
        return z;
    }

    @Benchmark
    public float[] reluSimd() {
        simd.unary(UnaryOp.RELU, 0f, x, 0, z, 0, N);
        return z;
    }

    @Benchmark
    public float[] reluScalar() {
        scalar.unary(UnaryOp.RELU, 0f, x, 0, z, 0, N);
        return z;
    }

    @Benchmark
    public float[] expSimd() {
        simd.unary(UnaryOp.EXP, 0f, x, 0, z, 0, N);
        return z;
    }

    @Benchmark
    public float[] expScalar() {
        scalar.unary(UnaryOp.EXP, 0f, x, 0, z, 0, N);
        return z;
    }

    /** log on positive inputs: the natural log behind log-softmax and the losses. */
    @Benchmark
    public float[] logSimd() {
        simd.unary(UnaryOp.LOG, 0f, y, 0, z, 0, N);
        return z;
    }

    @Benchmark
    public float[] logScalar() {
        scalar.unary(UnaryOp.LOG, 0f, y, 0, z, 0, N);
        return z;
    }

    /** erf, inside the exact GELU: the largest of the SIMD functions, and once 7x slower for it. */
    @Benchmark
    public float[] erfSimd() {
        simd.unary(UnaryOp.ERF, 0f, x, 0, z, 0, N);
        return z;
    }

    @Benchmark
    public Tensor tensorAdd() {
        return tx.add(ty);
    }

    @Benchmark
    public Tensor tensorRelu() {
        return tx.relu();
    }

    @Benchmark
    public Tensor tensorExp() {
        return tx.exp();
    }
}
