package dev.nn.bench;

import dev.nn.core.kernel.Gemm;
import dev.nn.core.kernel.KernelProvider;
import dev.nn.core.kernel.Parallel;
import dev.nn.core.kernel.ScalarKernels;
import java.util.Random;
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
 * SGEMM {@code C = op(A)·op(B)} at square sizes and at the training shapes, SIMD against the
 * scalar twin. {@code shape} is {@code MxNxK:AB} with A and B each {@code N} (as stored) or
 * {@code T} (transposed), so {@code 1000x100x64:TN} is the weight gradient {@code Xᵀ·dY} of the
 * lecture's 64×1000·1000×100 layer. GFLOP/s = 2·M·N·K / time; {@code compare_numpy.py} runs
 * NumPy on the same shapes in the same invocation and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)         // C2 has compiled the micro-kernel well within 3 s
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class GemmBenchmark {

    @Param({"64x64x64:NN", "128x128x128:NN", "256x256x256:NN", "512x512x512:NN", "1024x1024x1024:NN",
        "2048x2048x2048:NN",
        "64x100x1000:NN", "1000x100x64:TN", "64x1000x100:NT",
        "128x512x784:NN", "784x512x128:TN", "128x784x512:NT"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private boolean ta;
    private boolean tb;
    private float[] a;
    private float[] b;
    private float[] c;
    private Gemm simd;
    private Gemm scalar;

    @Setup
    public void setup() {
        String[] parts = shape.split(":");
        String[] dims = parts[0].split("x");
        m = Integer.parseInt(dims[0]);
        n = Integer.parseInt(dims[1]);
        k = Integer.parseInt(dims[2]);
        ta = parts[1].charAt(0) == 'T';
        tb = parts[1].charAt(1) == 'T';
        Random r = new Random(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat() - 0.5f;
        }
        Parallel pool = new Parallel(threads);
        simd = new Gemm(KernelProvider.simd(), pool);
        scalar = new Gemm(ScalarKernels.INSTANCE, pool);
    }

    @Benchmark
    public float[] gemmSimd() {
        simd.gemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n);
        return c;
    }

    @Benchmark
    public float[] gemmScalar() {
        scalar.gemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n);
        return c;
    }
}
