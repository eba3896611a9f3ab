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
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9)
                .reduceLanes(VectorOperators.ADD);
    }
}
