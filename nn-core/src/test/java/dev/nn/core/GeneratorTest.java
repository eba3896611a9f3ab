package dev.nn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeneratorTest {

    @Test
    void sameSeed_sameDraws() {
        Generator a = new Generator(7);
        Generator b = new Generator(7);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
            assertEquals(Float.floatToIntBits(a.nextGaussian()), Float.floatToIntBits(b.nextGaussian()));
        }
        assertNotEquals(new Generator(7).nextLong(), new Generator(8).nextLong());
    }

    @Test
    void rand_isTheNextFloatDrawsInOrder_andAdvancesTheGeneratorPastThem() {
        // 2^21 + 3 elements: the pool's chunks, each starting at its own draw, and a tail.
        for (int n : new int[] {0, 1, 37, (1 << 21) + 3}) {
            Generator filled = new Generator(11);
            Generator drawn = new Generator(11);
            float[] t = Tensor.rand(filled, n).toArray();
            for (int i = 0; i < n; i++) {
                if (Float.floatToIntBits(drawn.nextFloat()) != Float.floatToIntBits(t[i])) {
                    throw new AssertionError("n=" + n + ": element " + i + " is not draw " + i);
                }
            }
            assertEquals(drawn.state(), filled.state(), "n=" + n);
        }
    }

    @Test
    void restore_replaysDraws() {
        Generator g = new Generator(1);
        g.nextFloat();
        long state = g.state();
        float[] first = {g.nextFloat(), g.nextGaussian(), g.nextInt(10)};
        g.restore(state);
        float[] again = {g.nextFloat(), g.nextGaussian(), g.nextInt(10)};
        assertEquals(first[0], again[0]);
        assertEquals(first[1], again[1]);
        assertEquals(first[2], again[2]);
    }

    @Test
    void nextFloatAndGaussian_haveTheirDistributions() {
        Generator g = new Generator(3);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        double usum = 0;
        for (int i = 0; i < n; i++) {
            float u = g.nextFloat();
            assertTrue(u >= 0f && u < 1f);
            usum += u;
            double z = g.nextGaussian();
            sum += z;
            sumSq += z * z;
        }
        assertEquals(0.5, usum / n, 0.005);
        assertEquals(0.0, sum / n, 0.01);
        assertEquals(1.0, sumSq / n, 0.02);
    }

    @Test
    void nextInt_inRangeAndCoversIt() {
        Generator g = new Generator(5);
        boolean[] seen = new boolean[7];
        for (int i = 0; i < 1000; i++) {
            int v = g.nextInt(7);
            assertTrue(v >= 0 && v < 7);
            seen[v] = true;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.nextInt(0));
        assertEquals("nextInt: bound must be > 0, got 0", e.getMessage());
    }
}
