package dev.nn.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's FMA peak as the JVM reaches it: ten independent chains of vector fused
 * multiply-adds (enough to cover the FMA latency on current cores), nothing loaded or stored.
 * Each chain runs through the addend ({@code c = a·b + c}), as a GEMM's accumulators do, which
 * C2 compiles to one {@code vfmadd231ps} per step. Before, they ran through a factor
 * ({@code c = c·a + b}), which C2 compiled with a register copy per step: side by side
 * in one JVM (JDK 25, one core, three runs), 0.67-0.84 of this form's 93-98 GFLOP/s.
 * GFLOP/s = 2 · lanes · 10 · {@value #ITERATIONS} / time; run with JMH's {@code -t 2} for two
 * threads. Kernel figures elsewhere are reported as a fraction of it. (A benchmark, not library
 * code: it may name the Vector API directly.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class PeakBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int ITERATIONS = 10_000;

    // Plain floats in the state; vectors are made inside the benchmark so C2 keeps them in registers.
    private final float[] values = {0.999f, 1e-4f};

    /** Returns the lane count, so the runner can turn time into FLOP/s. */
    public static int lanes() {
        return S.length();
    }

    @Benchmark
    public float fma() {
        FloatVector a = FloatVector.broadcast(S, values[0]);
        FloatVector b = FloatVector.broadcast(S, values[1]);
        FloatVector c0 = b;
        FloatVector c1 = b.add(1f);
        FloatVector c2 = b.add(2f);
        FloatVector c3 = b.add(3f);
        FloatVector c4 = b.add(4f);
        FloatVector c5 = b.add(5f);
        FloatVector c6 = b.add(6f);
        FloatVector c7 = b.add(7f);
        FloatVector c8 = b.add(8f);
        FloatVector c9 = b.add(9f);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = a.fma(b, c0);
            c1 = a.fma(b, c1);
            c2 = a.fma(b, c2);
            c3 = a.fma(b, c3);
            c4 = a.fma(b, c4);
            c5 = a.fma(b, c5);
            c6 = a.fma(b, c6);
            c7 = a.fma(b, c7);
            c8 = a.fma(b, c8);
            c9 = a.fma(b, c9);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9)
                .reduceLanes(VectorOperators.ADD);
    }
}
