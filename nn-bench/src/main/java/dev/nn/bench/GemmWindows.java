package dev.nn.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times {@link GemmBenchmark#gemmSimd} in windows on demand, so that {@code compare_numpy.py}
 * can alternate short windows of nn and of NumPy, on one shape at a time, in two live processes.
 * Both then see the same machine load, which on these shared machines moves by tens of percent
 * between runs made minutes apart (the JMH table beside NumPy's compares such runs).
 *
 * <p>Reads one request per line from standard input, {@code <shape> <threads> <window ms>}
 * (shape as in {@link GemmBenchmark}, such as {@code 128x512x784:NN}), calls the GEMM until the
 * window has passed (at least twice), and answers with one line: microseconds per call. The
 * first request for a shape and thread count sets up its operands, as JMH's setup does; the
 * caller warms up before it measures. Ends at end of input.
 *
 * <pre>
 * echo "512x512x512:NN 1 300" | java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar \
 *     dev.nn.bench.GemmWindows
 * </pre>
 */
public final class GemmWindows {

    private static final Pattern REQUEST = Pattern.compile("([1-9][0-9]{0,4}x[1-9][0-9]{0,4}x[1-9][0-9]{0,4}:[NT][NT])"
            + "\\s+([1-9][0-9]?)\\s+([0-9]{1,6})");

    private GemmWindows() {
    }

    public static void main(String[] args) throws IOException {
        try {
            serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** Answers every request read from {@code in} on {@code out}, one line each, until end of input. */
    static void serve(BufferedReader in, PrintStream out) throws IOException {
        Map<String, GemmBenchmark> states = new HashMap<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            Matcher request = REQUEST.matcher(line.trim());
            if (!request.matches()) {
                throw new IllegalArgumentException("gemm windows: request '" + line
                        + "' is not '<shape> <threads> <window ms>' (such as '512x512x512:NN 1 300')");
            }
            GemmBenchmark state = states.computeIfAbsent(request.group(1) + " " + request.group(2), key -> {
                GemmBenchmark s = new GemmBenchmark();
                s.shape = request.group(1);
                s.threads = Integer.parseInt(request.group(2));
                s.setup();
                return s;
            });
            long window = Long.parseLong(request.group(3)) * 1_000_000L;
            long calls = 0;
            long t0 = System.nanoTime();
            long now;
            do {
                state.gemmSimd();
                calls++;
                now = System.nanoTime();
            } while (now - t0 < window || calls < 2);
            out.println((now - t0) / 1e3 / calls);
            out.flush();
        }
    }
}
