package dev.nn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nn.core.kernel.KernelProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Results must not depend on the JIT tier: the same computations, run in a child JVM under the
 * interpreter only ({@code -Xint}) and here after C2 has compiled them, give the same bits.
 */
class JitTierDeterminismTest {

    /** Computes a fingerprint of sums, transcendental kernels, softmax and GEMM outputs. */
    static String fingerprint() {
        Generator g = new Generator(2024);
        Tensor x = Tensor.randn(g, 37, 53).mul(Tensor.scalar(3f));
        Tensor w = Tensor.randn(g, 53, 29);
        Tensor[] results = {
            x.sum(), x.sum(1, false), x.exp(), x.abs().log(), x.tanh(), x.sigmoid(), x.softplus(),
            x.softmax(), x.logSoftmax(), x.matmul(w), Tensor.matmul(x, true, x, false),
        };
        long h = 17;
        for (Tensor r : results) {
            h = 31 * h + r.hashCode();
        }
        return Long.toHexString(h);
    }

    /** Entry point of the child JVM: prints the fingerprint. */
    public static void main(String[] args) {
        System.out.println(fingerprint());
    }

    @Test
    void interpreterAndCompiledCode_bitIdenticalResults() throws IOException, InterruptedException {
        String warm = null;
        for (int i = 0; i < 300; i++) {   // enough calls for C2 to compile the kernels
            warm = fingerprint();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xint");
        if (KernelProvider.vectorModulePresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        for (String prop : new String[] {"nn.kernels", "nn.threads"}) {
            if (System.getProperty(prop) != null) {
                cmd.add("-D" + prop + "=" + System.getProperty(prop));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(JitTierDeterminismTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "child JVM failed: " + cmd);
        assertEquals(warm, out, "interpreter and C2 disagree");
    }
}
