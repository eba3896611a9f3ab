package dev.nn.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under {@link InferenceBenchmark#mlp} at batch 1: a forward of one row must read every
 * weight and bias of the MNIST MLP (784-512-256-10: 535,818 floats, 2.14 MB) once, and between
 * requests they live in L3 or beyond (more than one core's L2 on the machines we run). This reads
 * arrays of those sizes once per call, summing them with eight vector accumulators (so the loads,
 * not the adds, set the pace), on one thread. {@code compare_inference.py} puts the MLP's batch-1
 * forward, and PyTorch's, beside it: no forward can take less time than this read. (A benchmark,
 * not library code: it may name the Vector API directly.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class WeightsReadBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** The MLP's layers as (inputs, outputs): a weight matrix and a bias each. */
    static final int[][] LAYERS = {{784, 512}, {512, 256}, {256, 10}};

    private float[][] arrays;

    /** Returns the bytes {@link #read} reads per call. */
    public static long bytes() {
        long floats = 0;
        for (int[] l : LAYERS) {
            floats += (long) l[0] * l[1] + l[1];
        }
        return 4 * floats;
    }

    @Setup
    public void setup() {
        Random r = new Random(42);
        arrays = new float[2 * LAYERS.length][];
        for (int i = 0; i < LAYERS.length; i++) {
            arrays[2 * i] = new float[LAYERS[i][0] * LAYERS[i][1]];
            arrays[2 * i + 1] = new float[LAYERS[i][1]];
        }
        for (float[] a : arrays) {
            for (int j = 0; j < a.length; j++) {
                a[j] = r.nextFloat();
            }
        }
    }

    /** The arrays {@link #read} reads, for tests. */
    float[][] arrays() {
        return arrays;
    }

    /** Reads every weight and bias once; returns their sum. */
    @Benchmark
    public float read() {
        float total = 0f;
        for (float[] a : arrays) {
            total += sum(a);
        }
        return total;
    }

    // Not inlined into read: inlined into its loop over the six arrays, C2's code for this loop
    // read the same bytes in 26-28 µs against 22.5-24.5 as a method of its own (Zen 4, JDK 25;
    // the same arrays, a plain loop outside JMH), and the floor must be the fastest read there is.
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static float sum(float[] a) {
        int l = S.length();
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        int i = 0;
        for (; i <= a.length - 8 * l; i += 8 * l) {
            s0 = s0.add(FloatVector.fromArray(S, a, i));
            s1 = s1.add(FloatVector.fromArray(S, a, i + l));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * l));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * l));
            s4 = s4.add(FloatVector.fromArray(S, a, i + 4 * l));
            s5 = s5.add(FloatVector.fromArray(S, a, i + 5 * l));
            s6 = s6.add(FloatVector.fromArray(S, a, i + 6 * l));
            s7 = s7.add(FloatVector.fromArray(S, a, i + 7 * l));
        }
        float rest = 0f;
        for (; i < a.length; i++) {
            rest += a[i];
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).reduceLanes(VectorOperators.ADD) + rest;
    }
}
