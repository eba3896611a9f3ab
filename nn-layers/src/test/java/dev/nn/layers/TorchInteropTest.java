package dev.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight files against PyTorch: ours load into a PyTorch model of the same architecture, and
 * PyTorch's load into ours, with the same outputs. Runs when {@code /usr/bin/python3} has torch
 * (Debian: {@code apt-get install -y python3-torch}); skipped with a message otherwise.
 */
class TorchInteropTest {

    static final String PYTHON = System.getProperty("nn.torchPython", "/usr/bin/python3");
    static final Path SCRIPT = Path.of("src/test/python/torch_interop.py");
    static final float[] X = {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f, -2f, 1f};

    @TempDir
    Path dir;

    private static Boolean torchPresent;

    @BeforeEach
    void requireTorch() throws Exception {
        if (torchPresent == null) {
            torchPresent = torchImports();
        }
        assumeTrue(torchPresent, PYTHON + " with torch is not available (apt-get install -y python3-torch):"
                + " interop not tested");
    }

    private static boolean torchImports() throws Exception {
        boolean ok;
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
            ok = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        }
        return ok;
    }

    static Sequential model(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(4, 8, true, g), new ReLU(), new Linear(8, 3, true, g), new BatchNorm1d(3));
    }

    static float[] runTorch(String mode, Path file, String... more) throws Exception {
        String input = "[[0.5, -1, 2, 0.25], [-0.75, 1.5, -2, 1]]";
        List<String> cmd = new ArrayList<>(List.of(PYTHON, SCRIPT.toString(), mode, file.toString(), input));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "torch_interop.py " + mode + " failed: " + err);
        List<Float> values = new ArrayList<>();
        for (String s : out.replace("[", "").replace("]", "").split(",")) {
            values.add(Float.parseFloat(s.trim()));
        }
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    static float[] ours(Sequential m) {
        m.eval();
        return m.forward(Variable.of(X, 2, 4)).value().toArray();
    }

    @Test
    void ourFile_loadsInPyTorch_sameOutputs() throws Exception {
        Sequential m = model(1);
        m.forward(Variable.of(Tensor.randn(new Generator(2), 16, 4)));
        Path f = dir.resolve("ours.safetensors");
        m.save(f);
        assertArrayEquals(ours(m), runTorch("read", f), 1e-5f);
    }

    @Test
    void pyTorchFile_loadsHere_sameOutputs() throws Exception {
        Path f = dir.resolve("theirs.safetensors");
        float[] expected = runTorch("write", f);
        Sequential m = model(3);
        m.load(f);
        assertEquals(1f, m.stateDict().get("3.num_batches_tracked").item());
        assertArrayEquals(expected, ours(m), 1e-5f);
    }

    @Test
    void pyTorchStateDict_withBatchNormAndLayerNorm_inEachFloatDtype_givesPyTorchsOutputs() throws Exception {
        for (String dtype : new String[] {"F32", "F64", "F16", "BF16"}) {
            Path f = dir.resolve("native-" + dtype + ".safetensors");
            float[] expected = runTorch("write-native", f, dtype);
            Generator g = new Generator(8);
            Sequential m = new Sequential(new Linear(4, 8, true, g), new BatchNorm1d(8), new ReLU(), new LayerNorm(8),
                    new Linear(8, 3, true, g));
            m.load(f);
            assertEquals(3f, m.stateDict().get("1.num_batches_tracked").item(), dtype);
            var contents = dev.nn.layers.io.Safetensors.read(f);
            assertEquals("I64", contents.dtypes().get("1.num_batches_tracked"));
            assertEquals(dtype, contents.dtypes().get("1.running_var"));
            assertArrayEquals(expected, ours(m), 1e-5f, dtype);
        }
    }
}
