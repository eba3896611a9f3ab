package dev.nn.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nn.core.function.VectorBiFunction;
import dev.nn.core.function.VectorFunction;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIMD kernels keep their vectors in registers once compiled, also when many operations are in
 * use in one JVM, as in training; so do GEMM's micro-kernels and the products built on them.
 *
 * <p>When C2 cannot inline a method that takes or returns a vector, it boxes the vector: the
 * kernel still gives the right bits, only several times slower, and it allocates 16 to 40 bytes
 * per float. Allocation is what this test watches (not time): it runs every operation in turn
 * until each allocates less than one byte per float in the same round, and fails if that never
 * happens. Boxing never goes away, so it fails then; a slow machine only takes more rounds.
 *
 * <p>Runs on JDK 25 and later, where no op boxed in 80 runs of this loop in fresh JVMs. On JDK
 * 17, most kernels boxed in about one run in 20 to 40: C2 had left the final vector store
 * unintrinsified ("missing constant" for the species, in PrintIntrinsics) after its speculations
 * on the Vector API's shared methods trapped during warm-up; as far as we could tell, nothing in
 * our kernels decides that. JDK 18 to 24 were not measured.
 */
class KernelAllocationTest {

    static final int N = 4096;
    // Rounds of 20 calls per operation: compiled code passes within a few, boxing never does.
    // The test gives up after this many rounds and this much time, whichever comes later.
    static final int MAX_ROUNDS = 400;
    static final long PATIENCE_NANOS = 30_000_000_000L;
    static Kernels simd;
    static com.sun.management.ThreadMXBean threads;

    // Before each test rather than all: an assumption that fails here marks every test skipped,
    // where one failing before all made surefire report "Tests run: 0".
    @BeforeEach
    void requireVectorApiAndAllocationCounter() {
        assumeTrue(Runtime.version().feature() >= 25,
                "measured reliable from JDK 25; on JDK 17 C2 boxed these kernels in some runs (see the class comment)");
        assumeTrue(KernelProvider.vectorModulePresent(), "jdk.incubator.vector is absent: no vectors to box");
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocated bytes per thread");
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocated bytes per thread");
        simd = KernelProvider.simd();
    }

    @Test
    void unaryOps_allInUseAtOnce_stopAllocating() {
        Random r = new Random(30);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) r.nextGaussian() * 3f;
        }
        float[] y = new float[N];
        List<String> names = new ArrayList<>();
        List<Runnable> calls = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            // POW has no vector form.
            if (op != UnaryOp.POW) {
                names.add(op.name());
                calls.add(() -> simd.elementwise().unary(op, 0.1f, x, 0, y, 0, N));
            }
        }
        assertStopsAllocating(names, calls);
    }

    @Test
    void binaryOps_allInUseAtOnce_inEveryForm_stopAllocating() {
        assertBinaryOpsStopAllocatingInEveryForm();
    }

    /**
     * C2 compiles a binary op's loops from the JVM's history: a form that ran rarely until then is
     * a cold call site, where C2 inlined no helper of ours and boxed the vectors crossing it, for
     * good. A JVM of its own first runs every op on large arrays with a broadcast operand only
     * (as {@code x.mul(Tensor.scalar(s))} does), then all three forms. With a load helper in
     * SimdBinaryLoops, every op kept allocating 48-80 bytes per vector in the other forms, at 4, 8
     * and 16 lanes.
     */
    @Test
    void binaryOps_compiledAfterAWarmUpInOneForm_stopAllocatingInEveryForm() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The vector width and the Vector API module of this run (CI varies MaxVectorSize).
            if (arg.startsWith("-XX:MaxVectorSize") || arg.startsWith("-Dnn.")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                OneFormWarmUp.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish: " + cmd);
        assertEquals(0, p.exitValue(), "child JVM " + cmd + " failed:\n" + out);
    }

    /** The child JVM of {@link #binaryOps_compiledAfterAWarmUpInOneForm_stopAllocatingInEveryForm}. */
    static final class OneFormWarmUp {
        public static void main(String[] args) {
            simd = KernelProvider.simd();
            threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            int n = 1 << 18;
            float[] x = new float[n];
            float[] y = new float[n];
            float[] scalar = {0.5f};
            for (int rep = 0; rep < 40; rep++) {
                for (BinaryOp op : BinaryOp.values()) {
                    simd.elementwise().binary(op, x, 0, 1, scalar, 0, 0, y, 0, n);
                }
            }
            assertBinaryOpsStopAllocatingInEveryForm();
        }
    }

    /** Every binary op in its three forms (both contiguous, b broadcast, a broadcast) stops allocating. */
    static void assertBinaryOpsStopAllocatingInEveryForm() {
        Random r = new Random(31);
        float[] a = new float[N];
        float[] b = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian() + 3f;
        }
        float[] y = new float[N];
        List<String> names = new ArrayList<>();
        List<Runnable> calls = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            names.add(op.name());
            calls.add(() -> {
                simd.elementwise().binary(op, a, 0, 1, b, 0, 1, y, 0, N);
                simd.elementwise().binary(op, a, 0, 1, b, 5, 0, y, 0, N);
                simd.elementwise().binary(op, a, 7, 0, b, 0, 1, y, 0, N);
            });
        }
        assertStopsAllocating(names, calls);
    }

    @Test
    void fusedBackwards_allInUseAtOnce_stopAllocating() {
        Random r = new Random(33);
        float[] g = new float[N];
        float[] s = new float[N];
        for (int i = 0; i < N; i++) {
            g[i] = (float) r.nextGaussian();
            s[i] = (float) r.nextGaussian() * 3f;
        }
        float[] out = new float[N];
        List<String> names = new ArrayList<>();
        List<Runnable> calls = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            if (op.backwardReads() != UnaryOp.Saved.NONE) {
                names.add(op.name() + " backward");
                calls.add(() -> simd.elementwise().backward(op, 0.1f, g, 0, s, 0, out, 0, N));
            }
        }
        assertStopsAllocating(names, calls);
    }

    @Test
    void uniform_stopsAllocating() {
        float[] y = new float[N];
        assertStopsAllocating(List.of("uniform"), List.of(() -> simd.elementwise().uniform(42L, y, 0, N)));
    }

    /**
     * Ten user functions with vector forms, and ten derivatives, in use at once: each runs in a
     * loop of its own, so none is boxed. In one shared loop, three were enough to box them all.
     * Beside them, scalar lambdas that run as formulas of the kernels' own loops.
     */
    @Test
    void userFunctions_tenInUseAtOnce_stopAllocating() {
        UserFunctions.assertTenStopAllocating();
    }

    /** Holds the lambdas typed on FloatVector, so this class loads (and skips) without the Vector API module. */
    static final class UserFunctions {
        static void assertTenStopAllocating() {
            Random r = new Random(34);
            float[] x = new float[N];
            float[] g = new float[N];
            for (int i = 0; i < N; i++) {
                x[i] = (float) r.nextGaussian();
                g[i] = (float) r.nextGaussian();
            }
            float[] y = new float[N];
            // Each lambda expression is a class of its own; the scalar forms only run on tails.
            List<MapKernel> maps = List.of(
                    simd.elementwise().map(v -> v * v, v -> v.mul(v)),
                    simd.elementwise().map(v -> v + 1f, v -> v.add(1f)),
                    simd.elementwise().map(v -> 2f * v, v -> v.mul(2f)),
                    simd.elementwise().map(v -> v - 3f, v -> v.sub(3f)),
                    simd.elementwise().map(v -> v * v * v, v -> v.mul(v).mul(v)),
                    simd.elementwise().map(v -> -v, v -> v.neg()),
                    simd.elementwise().map(Math::abs, v -> v.abs()),
                    simd.elementwise().map(v -> Math.max(v, 0f), v -> v.max(0f)),
                    simd.elementwise().map(v -> Math.min(v, 1f), v -> v.min(1f)),
                    simd.elementwise().map(v -> v / 4f, v -> v.div(4f)));
            List<GradientKernel> grads = List.of(
                    simd.elementwise().gradient(v -> 2f * v, v -> v.mul(2f)),
                    simd.elementwise().gradient(v -> 3f * v * v, v -> v.mul(v).mul(3f)),
                    simd.elementwise().gradient(v -> v + 2f, v -> v.add(2f)),
                    simd.elementwise().gradient(v -> v - 2f, v -> v.sub(2f)),
                    simd.elementwise().gradient(v -> v * 0.5f, v -> v.mul(0.5f)),
                    simd.elementwise().gradient((v, w) -> w * (1f - w), (v, w) -> w.mul(w.neg().add(1f))),
                    simd.elementwise().gradient((v, w) -> 1f - w * w, (v, w) -> w.mul(w).neg().add(1f)),
                    simd.elementwise().gradient((v, w) -> v + w, (v, w) -> v.add(w)),
                    simd.elementwise().gradient((v, w) -> v * w, (v, w) -> v.mul(w)),
                    simd.elementwise().gradient((v, w) -> v - w, (v, w) -> v.sub(w)));
            // Scalar lambdas with no vector form, which run as formulas of the kernels (FormulaLoops).
            List<MapKernel> formulas = List.of(
                    simd.elementwise().map(v -> v / (1f + (float) Math.exp(-v)), null),
                    simd.elementwise().map(v -> v > 0 ? v : 0.1f * v, null),
                    simd.elementwise().map(v -> (float) Math.tanh(v) * Math.max(v, 1f), null));
            List<GradientKernel> formulaGrads = List.of(
                    simd.elementwise().gradient(v -> v > 0 ? 1f : 0.1f, (VectorFunction) null),
                    simd.elementwise().gradient((v, w) -> w * (1f - w), (VectorBiFunction) null));
            List<String> names = new ArrayList<>();
            List<Runnable> calls = new ArrayList<>();
            for (int i = 0; i < formulas.size(); i++) {
                MapKernel k = formulas.get(i);
                names.add("formula " + i);
                calls.add(() -> k.apply(x, 0, y, 0, N));
            }
            for (int i = 0; i < formulaGrads.size(); i++) {
                GradientKernel k = formulaGrads.get(i);
                names.add("formula derivative " + i);
                calls.add(() -> k.apply(g, 0, x, 0, y, 0, y, 0, N));
            }
            for (int i = 0; i < maps.size(); i++) {
                MapKernel k = maps.get(i);
                names.add("function " + i);
                calls.add(() -> k.apply(x, 0, y, 0, N));
            }
            for (int i = 0; i < grads.size(); i++) {
                GradientKernel k = grads.get(i);
                names.add("derivative " + i);
                calls.add(() -> k.apply(g, 0, x, 0, y, 0, y, 0, N));
            }
            assertStopsAllocating(names, calls);
        }
    }

    @Test
    void gemm_tilesOfEachShape_andWholeProducts_stopAllocating() {
        Random r = new Random(32);
        int kc = 64;
        MicroKernels f = simd.microKernels();
        int nr = f.panelWidth();
        float[] a = new float[4 * kc * PackKernels.MR];
        float[] b = new float[kc * nr];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        float[] c = new float[N];
        // Each call writes N floats of C: N / (MR·NR) tiles, overwriting and accumulating in turn.
        int tiles = N / (PackKernels.MR * nr);
        int m = 64;
        int n = 100;                         // a last panel of 4 columns: columns tiles at NR = 16 and 32
        int k = 300;
        float[] ga = new float[m * k];     // values do not matter to allocation
        float[] gb = new float[k * n];
        float[] gc = new float[m * n];
        int n2 = 70;                         // a last panel of 6 columns: quarter tiles at NR = 32
        float[] gb2 = new float[k * n2];
        float[] gc2 = new float[m * n2];
        float[] wide = new float[4 * kc * nr];          // the row tile's four panels
        Gemm gemm = new Gemm(simd, new Parallel(1), PackKernels.MR + "x" + nr);
        List<String> names = List.of("square tile", "square tiles", "tall tile", "tall tiles", "narrow tile",
                "quarter tile", "columns tile", "row tile", "gemm " + m + "x" + n + "x" + k, "gemm " + m + "x" + n2 + "x" + k);
        List<Runnable> calls = List.of(
            () -> {
                for (int t = 0; t < tiles; t++) {
                    f.square().tile(kc, a, 0, b, 0, 0.5f, t % 2 == 1, c, t * PackKernels.MR * nr, nr);
                }
            },
            () -> {
                // A run of tiles one after another in C, the panels reused.
                f.square().tiles(kc, a, 0, 0, b, 0, 0, tiles, 0.5f, c, 0, PackKernels.MR * nr, nr);
            },
            () -> {
                for (int t = 0; t < tiles / 2; t++) {
                    f.tall().tile(kc, a, 0, b, 0, 0.5f, t % 2 == 1, c, t * 2 * PackKernels.MR * nr, nr);
                }
            },
            () -> f.tall().tiles(kc, a, 0, 0, b, 0, 0, tiles / 2, 0.5f, c, 0, 2 * PackKernels.MR * nr, nr),
            () -> {
                for (int t = 0; t < tiles; t++) {
                    f.narrow().tile(kc, a, 0, b, 0, 0.5f, t % 2 == 1, c, t * PackKernels.MR * nr, nr / 2);
                }
            },
            () -> {
                for (int t = 0; t < tiles; t++) {
                    f.quarter().tile(kc, a, 0, b, 0, 0.5f, t % 2 == 1, c, t * PackKernels.MR * nr, nr / 4);
                }
            },
            () -> {
                int size = 4 * PackKernels.MR * PackKernels.MR;
                for (int t = 0; t < N / size; t++) {
                    f.columns().tile(kc, a, 0, b, 0, 0.5f, t % 2 == 1, c, t * size, 4 * PackKernels.MR);
                }
            },
            () -> {
                for (int t = 0; t < N / (4 * nr); t++) {
                    f.row().tile(kc, a, t % PackKernels.MR, wide, 0, 0.5f, t % 2 == 1, c, t * 4 * nr, 4 * nr);
                }
            },
            () -> gemm.gemm(false, false, m, n, k, 1f, ga, 0, k, gb, 0, n, 0f, gc, 0, n),
            () -> gemm.gemm(false, false, m, n2, k, 1f, ga, 0, k, gb2, 0, n2, 0f, gc2, 0, n2));
        assertStopsAllocating(names, calls);
    }

    @Test
    void gemm_wholeProductsWithTheTallTile_stopAllocating() {
        int m = 64;
        int k = 300;
        int[] widths = {100, 70, 300};    // last panels of 4 and 6 columns, and a 128-column C block
        Gemm tall = new Gemm(simd, new Parallel(1), 2 * PackKernels.MR + "x" + simd.microKernels().panelWidth());
        List<String> names = new ArrayList<>();
        List<Runnable> calls = new ArrayList<>();
        for (int n : widths) {
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            float[] c = new float[m * n];
            names.add("tall gemm " + m + "x" + n + "x" + k);
            calls.add(() -> tall.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n));
        }
        assertStopsAllocating(names, calls);
    }

    /** Runs every call 20 times per round until each allocates under one byte per float. */
    static void assertStopsAllocating(List<String> names, List<Runnable> calls) {
        long[] perCall = new long[calls.size()];
        long start = System.nanoTime();
        int round = 0;
        for (; round < MAX_ROUNDS || System.nanoTime() - start < PATIENCE_NANOS; round++) {
            boolean quiet = true;
            for (int c = 0; c < calls.size(); c++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int rep = 0; rep < 20; rep++) {
                    calls.get(c).run();
                }
                perCall[c] = (threads.getCurrentThreadAllocatedBytes() - before) / 20;
                quiet &= perCall[c] < N;
            }
            if (quiet) {
                return;
            }
        }
        StringBuilder report = new StringBuilder();
        for (int c = 0; c < calls.size(); c++) {
            if (perCall[c] >= N) {
                report.append(' ').append(names.get(c)).append('=').append(perCall[c]);
            }
        }
        fail("still allocating after " + round + " rounds, bytes per call of " + N + " floats:" + report);
    }
}
