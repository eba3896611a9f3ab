package dev.nn.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The MLP's training step beside the cores' distance, set by set, in one JVM: the host of the
 * 2-core Zen 4 VMs moves the two virtual CPUs between one core complex and two dies within
 * seconds, so a two-thread step time means little without where the cores were while it ran.
 * Each set takes {@link CoreToCore}'s round trip (100,000 trips), then times
 * {@value #EPOCHS} epochs of {@link MlpTrainingBenchmark} ({@value #EPOCHS} × 20 steps), then the
 * round trip again; at the end, the median step of the sets whose two readings were both above
 * {@value #APART_NS} ns (two dies), both below {@value #NEAR_NS} ns (one complex), and the rest.
 * Threads come from {@code -Dnn.threads}, as in the benchmarks:
 *
 * <pre>java --add-modules jdk.incubator.vector -Dnn.threads=2 -cp nn-bench/target/benchmarks.jar \
 *     dev.nn.bench.PlacedSteps [seconds, default 120]</pre>
 */
public final class PlacedSteps {

    static final int EPOCHS = 4;
    static final double APART_NS = 200;
    static final double NEAR_NS = 100;
    private static final int TRIPS = 100_000;
    private static final int WARM_UP_EPOCHS = 100;

    private PlacedSteps() {
    }

    /** Runs sets for {@code args[0]} seconds (default 120), printing each set, then the summary. */
    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 120;
        MlpTrainingBenchmark step = new MlpTrainingBenchmark();
        step.setup();
        for (int e = 0; e < WARM_UP_EPOCHS; e++) {
            step.trainStep();
        }
        CoreToCore.roundTripNanos(TRIPS);
        List<double[]> sets = new ArrayList<>();
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until) {
            double before = distance();
            long start = System.nanoTime();
            for (int e = 0; e < EPOCHS; e++) {
                step.trainStep();
            }
            double micros = (System.nanoTime() - start) / 1e3 / (EPOCHS * MlpTrainingBenchmark.BATCHES);
            double after = distance();
            double[] set = {before, after, micros};
            sets.add(set);
            System.out.println(line(set));
        }
        System.out.println(summary(sets));
    }

    /**
     * The cores' distance now, once nn's worker has stopped spinning: it spins for
     * {@code Parallel.SPIN_MICROS} after its last task, and a probe started beside it read 150-190
     * ns where the cores sat 70 ns apart.
     */
    private static double distance() throws InterruptedException {
        Thread.sleep(5);
        return CoreToCore.roundTripNanos(TRIPS);
    }

    /** One set as printed: "cores 68 / 71 ns apart: 2125 µs a step". */
    static String line(double[] set) {
        return String.format(Locale.ROOT, "cores %.0f / %.0f ns apart: %.0f µs a step", set[0], set[1], set[2]);
    }

    /**
     * The summary of sets {before ns, after ns, µs a step}: for two dies, one complex and the rest,
     * the number of sets and their median step ("-" where there are none).
     */
    static String summary(List<double[]> sets) {
        List<Double> apart = new ArrayList<>();
        List<Double> near = new ArrayList<>();
        List<Double> between = new ArrayList<>();
        for (double[] s : sets) {
            if (s[0] > APART_NS && s[1] > APART_NS) {
                apart.add(s[2]);
            } else if (s[0] < NEAR_NS && s[1] < NEAR_NS) {
                near.add(s[2]);
            } else {
                between.add(s[2]);
            }
        }
        return String.format(Locale.ROOT, "median µs a step (sets): two dies %s (%d), one complex %s (%d),"
                + " moved or between %s (%d)", median(apart), apart.size(), median(near), near.size(),
                median(between), between.size());
    }

    private static String median(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, "%.0f", m);
    }
}
