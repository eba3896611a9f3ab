package dev.nn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.Parameter;
import dev.nn.core.Generator;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WeightsReadBenchmarkTest {

    @Test
    void readsAsManyBytesAsTheInferenceBenchmarksMlpHolds_andTheScriptSaysSo() throws IOException {
        Generator g = new Generator(1);
        Sequential mlp = new Sequential(new Linear(784, 512, true, g), new ReLU(), new Linear(512, 256, true, g),
                new ReLU(), new Linear(256, 10, true, g));
        long floats = 0;
        for (Parameter p : mlp.parameters()) {
            floats += p.value().size();
        }
        assertEquals(4 * floats, WeightsReadBenchmark.bytes());
        // compare_inference.py turns the read's time into GB/s with its own copy of the count.
        String script = Files.readString(Path.of("compare_inference.py"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("MLP_BYTES = 4 \\* \\(([0-9 *+]+)\\)").matcher(script);
        assertTrue(m.find(), "MLP_BYTES not found in compare_inference.py");
        long scripted = 0;
        for (String term : m.group(1).split("\\+")) {
            long product = 1;
            for (String factor : term.split("\\*")) {
                product *= Long.parseLong(factor.trim());
            }
            scripted += product;
        }
        assertEquals(floats, scripted);
    }

    @Test
    void read_sumsEveryFloatOnce() {
        WeightsReadBenchmark b = new WeightsReadBenchmark();
        b.setup();
        double expected = 0;
        long floats = 0;
        for (float[] a : b.arrays()) {
            for (float v : a) {
                expected += v;
            }
            floats += a.length;
        }
        assertEquals(WeightsReadBenchmark.bytes(), 4 * floats);
        // Floats in [0, 1): a block of 128 (one loop step) skipped or read twice moves the sum by
        // about 64; float rounding over 535,818 of them by well under 1.
        assertEquals(expected, b.read(), 2.0);
    }
}
