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
                Tensor[] expected = unfusedAdam(p, g, m, v, amsgrad ? max : null, wd, 0.01f, 0.3f);
                Updates.adam(p, g, m, v, amsgrad ? max : null, 0.9f, 0.999f, wd, 0.01f, 0.3f, 1e-8f);
                assertEquals(expected[0], p, "amsgrad=" + amsgrad + " wd=" + wd);
                assertEquals(expected[1], m);
                assertEquals(expected[2], v);
                if (amsgrad) {
                    assertEquals(expected[3], max);
                }
                assertEquals(1, p.version());
            }
        }
    }

    /**
     * Returns the parameter, moments and maximum after one Adam step (β 0.9 and 0.999, ε 1e-8) made
     * of tensor operations, on copies; the inputs are left as they were.
     */
    private static Tensor[] unfusedAdam(Tensor p, Tensor g, Tensor m, Tensor v, Tensor max, float wd, float stepSize,
                                        float bc2Sqrt) {
        Tensor p2 = p.copy();
        Tensor m2 = m.copy();
        Tensor v2 = v.copy();
        Tensor max2 = max == null ? null : max.copy();
        Tensor g2 = wd == 0f ? g : g.add(p2.mul(Tensor.scalar(wd)));
        m2.scaleInPlace(0.9f);
        m2.addInPlace(g2, 1f - 0.9f);
        v2.scaleInPlace(0.999f);
        v2.addInPlace(g2.square(), 1f - 0.999f);
        Tensor w = v2;
        if (max2 != null) {
            max2.copyInPlace(max2.max(v2));
            w = max2;
        }
        Tensor denom = w.sqrt().div(Tensor.scalar(bc2Sqrt)).add(Tensor.scalar(1e-8f));
        p2.addInPlace(m2.div(denom), -stepSize);
        return new Tensor[] {p2, m2, v2, max2};
    }

    @Test
    void adam_splitAcrossThreads_givesTheBitsOfOneKernelCall() {
        // Past the threshold for splitting, with a partial last chunk, in views at an offset: on one
        // thread the chunks run in turn, on two or three they are shared (and cut differently, as
        // many for each thread); each must give the bits of the
        // kernel run once over the whole range. (The reference is the kernel, not the unfused
        // tensor operations, which adam_equalsTheUnfusedOperations ties it to: large elementwise
        // runs here would compile the elementwise kernels for a few operations before
        // KernelAllocationTest uses them all.)
        int n = TensorOps.UPDATE_PARALLEL_ELEMENTS + TensorOps.CHUNK / 2 + 3;
        for (boolean amsgrad : new boolean[] {false, true}) {
            Tensor[] expected = adamState(n);
            Backend.current().updates().adam(expected[0].data, expected[0].offset, expected[1].data,
                    expected[1].offset, expected[2].data, expected[2].offset, expected[3].data, expected[3].offset,
                    amsgrad ? expected[4].data : null, expected[amsgrad ? 4 : 3].offset, n, 0.9f, 0.999f, 0.01f,
                    1e-4f, 0.5f, 1e-8f);
            for (int threads : new int[] {1, 2, 3}) {
                Tensor[] t = adamState(n);
                try (Backend b = Backend.builder().threads(threads).build(); var s = b.use()) {
                    Updates.adam(t[0], t[1], t[2], t[3], amsgrad ? t[4] : null, 0.9f, 0.999f, 0.01f, 1e-4f, 0.5f,
                            1e-8f);
                }
                for (int i = 0; i < t.length; i++) {
                    assertEquals(expected[i], t[i], "amsgrad=" + amsgrad + ", " + threads + " thread(s), tensor " + i);
                }
            }
        }
    }

    /** Parameter, gradient, moments and maximum of n elements, each a view starting one element into its array. */
    private static Tensor[] adamState(int n) {
        Generator gen = new Generator(8);
        Tensor[] t = new Tensor[5];
        for (int i = 0; i < t.length; i++) {
            Tensor whole = i < 3 ? Tensor.randn(gen, n + 1, 1) : Tensor.rand(gen, n + 1, 1);
            t[i] = whole.rows(1, n + 1);
        }
        return t;
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
