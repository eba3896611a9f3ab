package dev.nn.bench;

import java.lang.reflect.Method;
import java.util.Arrays;
import org.openjdk.jmh.annotations.Setup;

/**
 * Measures the time ratio of two benchmark methods of one JMH state class by alternating short
 * windows of each in one JVM (A B, B A, A B, ...), so both see the same machine load. On shared
 * machines whose speed drifts by tens of percent within minutes, this ratio is far steadier than
 * the ratio of two JMH runs made one after the other.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar dev.nn.bench.Interleaved \
 *     dev.nn.bench.TwoLayerBenchmark autograd handWritten [pairs=20] [windowMs=300] [warmupMs=8000]
 * </pre>
 *
 * Prints one line: the medians of each method's µs/op and of the per-pair ratios A ÷ B, with quartiles.
 */
public final class Interleaved {

    private Interleaved() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Interleaved <state class> <method A> <method B> [pairs] [windowMs] [warmupMs]");
            System.exit(2);
        }
        Class<?> type = Class.forName(args[0]);
        Object state = type.getDeclaredConstructor().newInstance();
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(Setup.class)) {
                m.invoke(state);
            }
        }
        Method a = type.getMethod(args[1]);
        Method b = type.getMethod(args[2]);
        int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        long window = (args.length > 4 ? Long.parseLong(args[4]) : 300) * 1_000_000L;
        long warmup = (args.length > 5 ? Long.parseLong(args[5]) : 8000) * 1_000_000L;

        long end = System.nanoTime() + warmup;
        while (System.nanoTime() < end) {
            a.invoke(state);
            b.invoke(state);
        }
        double[] ta = new double[pairs];
        double[] tb = new double[pairs];
        double[] ratio = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            boolean aFirst = (p & 1) == 0;
            double first = time(aFirst ? a : b, state, window);
            double second = time(aFirst ? b : a, state, window);
            ta[p] = aFirst ? first : second;
            tb[p] = aFirst ? second : first;
            ratio[p] = ta[p] / tb[p];
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        Arrays.sort(ratio);
        System.out.printf("%s %.1f us/op, %s %.1f us/op, ratio %.3f (quartiles %.3f, %.3f) over %d pairs%n",
                args[1], ta[pairs / 2], args[2], tb[pairs / 2], ratio[pairs / 2], ratio[pairs / 4],
                ratio[3 * pairs / 4], pairs);
    }

    private static double time(Method m, Object state, long window) throws Exception {
        long t0 = System.nanoTime();
        long n = 0;
        long now;
        do {
            m.invoke(state);
            n++;
            now = System.nanoTime();
        } while (now - t0 < window);
        return (now - t0) / 1e3 / n;
    }
}
