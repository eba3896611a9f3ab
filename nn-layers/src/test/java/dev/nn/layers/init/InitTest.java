package dev.nn.layers.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Linear;
import org.junit.jupiter.api.Test;

/** Each initializer's range or spread, PyTorch's fans, determinism and the default sequence. */
class InitTest {

    static double[] stats(Tensor t) {
        double mean = 0;
        double max = 0;
        float[] a = t.toArray();
        for (float v : a) {
            mean += v / a.length;
            max = Math.max(max, Math.abs(v));
        }
        double var = 0;
        for (float v : a) {
            var += (v - mean) * (v - mean) / a.length;
        }
        return new double[] {mean, Math.sqrt(var), max};
    }

    @Test
    void uniformFamilies_withinTheirBoundsAndFillingThem() {
        Generator g = new Generator(1);
        double[] u = stats(Init.uniform(g, -2f, 2f, 200, 300));
        assertTrue(u[2] <= 2 && u[2] > 1.99, "max " + u[2]);
        assertEquals(2 / Math.sqrt(3), u[1], 0.01);
        double xavier = Math.sqrt(6.0 / (300 + 200));
        double[] x = stats(Init.xavierUniform(g, 200, 300));
        assertTrue(x[2] <= xavier && x[2] > 0.99 * xavier);
        double kaiming = Math.sqrt(6.0 / 300);
        double[] k = stats(Init.kaimingUniform(g, 200, 300));
        assertTrue(k[2] <= kaiming && k[2] > 0.99 * kaiming);
        double[] conv = stats(Init.kaimingUniform(g, 16, 8, 3, 3));     // fanIn = 8·3·3
        assertTrue(conv[2] <= Math.sqrt(6.0 / 72));
    }

    @Test
    void normalFamilies_haveTheirSpread() {
        Generator g = new Generator(2);
        assertEquals(3.0, stats(Init.normal(g, 1f, 3f, 300, 300))[1], 0.03);
        assertEquals(1.0, stats(Init.normal(g, 1f, 3f, 300, 300))[0], 0.03);
        assertEquals(Math.sqrt(2.0 / 700), stats(Init.xavierNormal(g, 300, 400))[1], 0.002);
        assertEquals(Math.sqrt(2.0 / 400), stats(Init.kaimingNormal(g, 300, 400))[1], 0.002);
        assertEquals(Tensor.zeros(2, 3), Init.zeros(2, 3));
        assertEquals(Tensor.ones(4), Init.ones(4));
    }

    @Test
    void sameGenerator_sameDraws_andTheDefaultSequenceRestartsWithManualSeed() {
        assertEquals(Init.xavierUniform(new Generator(5), 3, 4), Init.xavierUniform(new Generator(5), 3, 4));
        Init.manualSeed(42);
        Tensor first = new Linear(5, 5).weight().value().copy();
        Tensor second = new Linear(5, 5).weight().value().copy();
        assertNotEquals(first, second);
        Init.manualSeed(42);
        assertEquals(first, new Linear(5, 5).weight().value());
    }

    @Test
    void badArguments_messages() {
        Generator g = new Generator(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform(g, 10));
        assertEquals("xavierUniform: needs a weight of at least 2 dimensions, got [10]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.uniform(g, 1f, 1f, 2));
        assertEquals("uniform: low must be < high, got 1.0 and 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.normal(g, 0f, -1f, 2));
        assertEquals("normal: std must be >= 0, got -1.0", e.getMessage());
    }
}
