package dev.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.io.SafetensorsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading modules, and serving one model from many threads. */
class WeightsTest {

    @TempDir
    Path dir;

    static Sequential model(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(4, 8, true, g), new ReLU(), new Linear(8, 3, true, g), new BatchNorm1d(3));
    }

    @Test
    void saveThenLoad_bitExactStateAndOutputs() throws IOException {
        Sequential a = model(1);
        a.forward(Variable.of(Tensor.randn(new Generator(2), 16, 4)));     // moves the running statistics
        Path f = dir.resolve("model.safetensors");
        a.save(f);
        Sequential b = model(7);
        assertNotEquals(a.stateDict(), b.stateDict());
        b.load(f);
        assertEquals(a.stateDict(), b.stateDict());
        a.eval();
        b.eval();
        Tensor x = Tensor.randn(new Generator(3), 5, 4);
        assertEquals(a.forward(Variable.of(x)).value(), b.forward(Variable.of(x)).value());
    }

    @Test
    void damagedFile_refusedByItsChecksum_andNothingChanged() throws IOException {
        Path f = dir.resolve("model.safetensors");
        model(1).save(f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 5] ^= 0x10;                                  // one bit of the last weight
        Files.write(f, bytes);
        Sequential m = model(5);
        Map<String, Tensor> before = Map.copyOf(copyOf(m.stateDict()));
        dev.nn.layers.io.SafetensorsException e = assertThrows(dev.nn.layers.io.SafetensorsException.class,
                () -> m.load(f));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().endsWith(": the file is damaged"), e.getMessage());
        assertEquals(before, m.stateDict());
    }

    /** The bytes after a safetensors file's header. */
    static long dataBytes(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        return b.length - 8 - java.nio.ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void saveAsBf16_halfTheData_loadsTheRoundedValues() throws IOException {
        Sequential a = model(1);
        Path f32 = dir.resolve("f32.safetensors");
        Path bf16 = dir.resolve("bf16.safetensors");
        a.save(f32);
        a.save(bf16, dev.nn.layers.io.Safetensors.Dtype.BF16);
        assertEquals(dataBytes(f32), 2 * dataBytes(bf16));
        Sequential b = model(7);
        b.load(bf16);
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            float[] want = e.getValue().toArray();
            float[] got = b.stateDict().get(e.getKey()).toArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], Math.abs(want[i]) * 0x1p-8f, e.getKey() + "[" + i + "]");
            }
        }
    }

    @Test
    void load_mismatches_allReportedAndNothingChanged() throws IOException {
        Path f = dir.resolve("other.safetensors");
        Generator g = new Generator(4);
        new Sequential(new Linear(4, 8, true, g), new ReLU(), new Linear(8, 5, false, g)).save(f);
        Sequential m = model(5);
        Map<String, Tensor> before = Map.copyOf(copyOf(m.stateDict()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.load(f));
        assertEquals("load: 7 mismatches between other.safetensors and the module: 2.weight is [5, 8] in"
                + " other.safetensors, [3, 8] in the module; missing 2.bias; missing 3.weight; missing 3.bias;"
                + " missing 3.running_mean; missing 3.running_var; missing 3.num_batches_tracked", e.getMessage());
        assertEquals(before, copyOf(m.stateDict()));
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        assertThrows(SafetensorsException.class, () -> m.load(junk));
        assertEquals(before, copyOf(m.stateDict()));
    }

    private static Map<String, Tensor> copyOf(Map<String, Tensor> state) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    @Test
    void evalInference_from16Threads_bitIdenticalAndParametersUnchanged() throws Exception {
        Generator g = new Generator(6);
        Sequential m = new Sequential(new Linear(64, 128, true, g), new GELU(), new Dropout(0.5f, g),
                new Linear(128, 10, true, g), new BatchNorm1d(10), new Softmax());
        m.forward(Variable.of(Tensor.randn(g, 32, 64)));
        m.eval();
        Map<String, Tensor> before = copyOf(m.stateDict());
        List<Tensor> inputs = new ArrayList<>();
        List<Tensor> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            inputs.add(Tensor.randn(new Generator(100 + i), 8, 64));
            try (var scope = Autograd.noGrad()) {
                expected.add(m.forward(Variable.of(inputs.get(i))).value());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int k = i;
                results.add(pool.submit(() -> {
                    boolean same = true;
                    for (int rep = 0; rep < 50; rep++) {
                        try (var scope = Autograd.noGrad()) {
                            same &= m.forward(Variable.of(inputs.get(k))).value().equals(expected.get(k));
                        }
                    }
                    return same;
                }));
            }
            for (Future<Boolean> r : results) {
                assertEquals(true, r.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(before, copyOf(m.stateDict()));
    }

    @Test
    void sampleOutput_independentOfItsBatchAndPosition() {
        Sequential m = model(8);
        m.eval();
        Tensor batch = Tensor.randn(new Generator(9), 7, 4);
        Tensor all = m.forward(Variable.of(batch)).value();
        for (int i = 0; i < 7; i++) {
            Tensor alone = m.forward(Variable.of(batch.rows(i, i + 1))).value();
            assertArrayEquals(all.rows(i, i + 1).toArray(), alone.toArray());
        }
    }
}
