package dev.nn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The fused updates give the same bits as the tensor operations they replace. */
class UpdatesTest {

    @Test
    void adam_equalsTheUnfusedOperations() {
        for (boolean amsgrad : new boolean[] {false, true}) {
            for (float wd : new float[] {0f, 0.05f}) {
                Generator gen = new Generator(3);
                Tensor p = Tensor.randn(gen, 7, 41);
                Tensor g = Tensor.randn(gen, 7, 41);
                Tensor m = Tensor.randn(gen, 7, 41);
                Tensor v = Tensor.rand(gen, 7, 41);
                Tensor max = Tensor.rand(gen, 7, 41);
                Tensor p2 = p.copy();
                Tensor m2 = m.copy();
                Tensor v2 = v.copy();
                Tensor max2 = max.copy();
                Updates.adam(p, g, m, v, amsgrad ? max : null, 0.9f, 0.999f, wd, 0.01f, 0.3f, 1e-8f);

                Tensor g2 = wd == 0f ? g : g.add(p2.mul(Tensor.scalar(wd)));
                m2.scaleInPlace(0.9f);
                m2.addInPlace(g2, 1f - 0.9f);
                v2.scaleInPlace(0.999f);
                v2.addInPlace(g2.square(), 1f - 0.999f);
                Tensor w = v2;
                if (amsgrad) {
                    max2.copyInPlace(max2.max(v2));
                    w = max2;
                }
                Tensor denom = w.sqrt().div(Tensor.scalar(0.3f)).add(Tensor.scalar(1e-8f));
                p2.addInPlace(m2.div(denom), -0.01f);
                assertEquals(p2, p, "amsgrad=" + amsgrad + " wd=" + wd);
                assertEquals(m2, m);
                assertEquals(v2, v);
                if (amsgrad) {
                    assertEquals(max2, max);
                }
                assertEquals(1, p.version());
            }
        }
    }

    @Test
    void adam_viewsAtOffsets_andShapeMismatch() {
        Tensor big = Tensor.zeros(4, 3);
        Tensor p = big.rows(1, 3);
        Updates.adam(p, Tensor.ones(2, 3), Tensor.zeros(2, 3), Tensor.zeros(2, 3), null, 0.9f, 0.999f, 0f, 0.1f,
                (float) Math.sqrt(0.001), 1e-8f);
        assertEquals(0f, big.get(0, 0));
        assertEquals(-0.01f, big.get(1, 0), 1e-6f);   // m = 0.1·g, denominator 1: stepSize·0.1
        assertEquals(0f, big.get(3, 2));
        ShapeException e = assertThrows(ShapeException.class, () -> Updates.adam(Tensor.ones(3), Tensor.ones(2),
                Tensor.ones(3), Tensor.ones(3), null, 0.9f, 0.999f, 0f, 0.1f, 1f, 1e-8f));
        assertEquals("adam: tensor of shape [2] does not match parameter [3]", e.getMessage());
    }
}
