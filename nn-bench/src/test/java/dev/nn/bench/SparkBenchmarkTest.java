package dev.nn.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.spark.Example;
import org.junit.jupiter.api.Test;

/** SparkBenchmark's modes run as compare_spark.py runs them, so the benchmark cannot rot between reports. */
class SparkBenchmarkTest {

    private static double epoch(String mode, int slots) {
        SparkBenchmark b = new SparkBenchmark();
        b.mode = mode;
        b.slots = slots;
        b.setup();
        try {
            return b.epoch();
        } finally {
            b.tearDown();
        }
    }

    @Test
    void everyMode_trainsAnEpoch_onTheSameData() {
        // Random labels over 10 classes: the first epoch's mean loss is near ln 10 in every mode.
        for (String[] run : new String[][] {{"trainer", "2"}, {"sync", "2"}, {"local8", "1"}}) {
            double loss = epoch(run[0], Integer.parseInt(run[1]));
            assertTrue(loss > 2.0 && loss < 2.6, run[0] + " on " + run[1] + ": loss " + loss);
        }
        Example e = SparkBenchmark.example(7);
        assertArrayEquals(e.features(), SparkBenchmark.example(7).features(), "rows are made from their index");
    }
}
