package dev.nn.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far apart the machine's two cores are: the round trip of one cache line between two
 * spinning threads, in nanoseconds (median of five passes of 500,000 trips after one pass of
 * warm-up). On the 2-core Zen 4 VMs the host places the two virtual CPUs in one core complex at
 * some times (about 65 ns) and on two dies at others (220-400 ns), moving between the two within
 * seconds to minutes; the MLP's two-thread step, whose products read data the other thread wrote,
 * is slower in the second case (2.1 against 2.7-2.9 ms a step; before each thread kept its share
 * of the pool's tasks, 3.6 ms, one thread's speed). So {@code compare_mlp.py} prints this beside
 * its two-thread rounds.
 *
 * <pre>java -cp nn-bench/target/benchmarks.jar dev.nn.bench.CoreToCore</pre>
 */
public final class CoreToCore {

    static final int TRIPS = 500_000;
    static final int PASSES = 5;

    private CoreToCore() {
    }

    /** Prints the median round trip in nanoseconds, then each pass's, on one line. */
    public static void main(String[] args) throws InterruptedException {
        roundTripNanos(TRIPS);   // warm-up: both loops compiled
        double[] passes = new double[PASSES];
        for (int p = 0; p < PASSES; p++) {
            passes[p] = roundTripNanos(TRIPS);
        }
        System.out.println(report(passes));
    }

    /** The line {@code compare_mlp.py} reads: "N ns round trip (passes: a b c ...)", N the median. */
    static String report(double[] passes) {
        double[] sorted = passes.clone();
        Arrays.sort(sorted);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.0f ns round trip (passes:",
                sorted[sorted.length / 2]));
        for (double ns : passes) {
            line.append(String.format(Locale.ROOT, " %.0f", ns));
        }
        return line.append(')').toString();
    }

    /**
     * Passes a counter back and forth between the caller and a second thread {@code trips} times:
     * the caller turns even values odd, the other thread odd values even. Returns nanoseconds per
     * round trip.
     */
    static double roundTripNanos(int trips) throws InterruptedException {
        AtomicLong line = new AtomicLong();
        long last = 2L * trips;
        Thread other = new Thread(() -> {
            for (long v = 1; v < last; v += 2) {
                while (line.get() != v) {
                    Thread.onSpinWait();
                }
                line.set(v + 1);
            }
        }, "core-to-core");
        other.setDaemon(true);
        other.start();
        long start = System.nanoTime();
        for (long v = 0; v < last; v += 2) {
            while (line.get() != v) {
                Thread.onSpinWait();
            }
            line.set(v + 1);
        }
        while (line.get() != last) {
            Thread.onSpinWait();
        }
        long elapsed = System.nanoTime() - start;
        other.join();
        return elapsed / (double) trips;
    }
}
