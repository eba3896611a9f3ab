package dev.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.GradCheck;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import org.junit.jupiter.api.Test;

/** BatchNorm1d, LayerNorm and Dropout: known answers, train/eval differences, stability, gradients. */
class NormalizationTest {

    @Test
    void batchNorm_largeOffsets_twoPassVarianceIsExact() {
        BatchNorm1d bn = new BatchNorm1d(1, 1e-5f, 1f);
        Variable y = bn.forward(Variable.of(new float[] {10000, 10001, 10002}, 3, 1));
        float s = (float) (1 / Math.sqrt(2.0 / 3 + 1e-5));
        assertArrayEquals(new float[] {-s, 0, s}, y.value().toArray(), 1e-5f);
        assertEquals(10001f, bn.runningMean().item());
        assertEquals(1f, bn.runningVar().item());        // unbiased: ((1 + 0 + 1) / 2) with momentum 1
        LayerNorm ln = new LayerNorm(3);
        Variable z = ln.forward(Variable.of(new float[] {10000, 10001, 10002}, 1, 3));
        assertArrayEquals(new float[] {-s, 0, s}, z.value().toArray(), 1e-5f);
    }

    @Test
    void batchNorm_trainUsesTheBatch_evalTheRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor x = Tensor.of(new float[] {1, 10, 3, 20, 5, 30}, 3, 2);
        bn.forward(Variable.of(x));
        assertArrayEquals(new float[] {0.3f, 2f}, bn.runningMean().toArray(), 1e-6f);            // 0.9·0 + 0.1·mean
        assertArrayEquals(new float[] {0.9f + 0.4f, 0.9f + 10f}, bn.runningVar().toArray(), 1e-5f);  // unbiased 4, 100
        assertEquals(1f, bn.stateDict().get("num_batches_tracked").item());
        Tensor train = bn.forward(Variable.of(x)).value();
        bn.eval();
        Tensor before = bn.runningMean().copy();
        Tensor eval = bn.forward(Variable.of(x)).value();
        assertNotEquals(train, eval);
        assertEquals(before, bn.runningMean());
        float expected = (float) ((1 - bn.runningMean().get(0)) / Math.sqrt(bn.runningVar().get(0) + 1e-5));
        assertEquals(expected, eval.get(0, 0), 1e-6f);
    }

    @Test
    void batchNorm_gradients_andMisuse() {
        BatchNorm1d bn = new BatchNorm1d(5);
        Variable x = Variable.of(Tensor.randn(new Generator(4), 6, 5)).requiresGrad();
        GradCheck.assertGradients(in -> bn.forward(in[0]).mul(in[0]), x);
        ShapeException e = assertThrows(ShapeException.class, () -> bn.forward(Variable.of(Tensor.ones(1, 5))));
        assertEquals("BatchNorm1d(5): training needs more than 1 sample per feature, got a batch of 1 (call eval() to"
                + " normalize single samples)", e.getMessage());
        e = assertThrows(ShapeException.class, () -> bn.forward(Variable.of(Tensor.ones(4, 3))));
        assertEquals("BatchNorm1d(5): expects input [batch, 5], got [4, 3]", e.getMessage());
        bn.eval();
        GradCheck.assertGradients(in -> bn.forward(in[0]), x);
    }

    @Test
    void layerNorm_perSample_andGradients() {
        LayerNorm ln = new LayerNorm(2, 3);
        Tensor x = Tensor.randn(new Generator(5), 4, 2, 3);
        Tensor y = ln.forward(Variable.of(x)).value();
        for (int i = 0; i < 4; i++) {
            float[] row = y.rows(i, i + 1).toArray();
            double mean = 0;
            double sq = 0;
            for (float v : row) {
                mean += v / 6.0;
            }
            for (float v : row) {
                sq += (v - mean) * (v - mean) / 6.0;
            }
            assertEquals(0, mean, 1e-6);
            assertEquals(1, sq, 1e-4);
        }
        GradCheck.assertGradients(in -> ln.forward(in[0]), Variable.of(x).requiresGrad());
        ShapeException e = assertThrows(ShapeException.class, () -> ln.forward(Variable.of(Tensor.ones(4, 3, 2))));
        assertEquals("LayerNorm([2, 3]): input [4, 3, 2] does not end with [2, 3]", e.getMessage());
    }

    @Test
    void dropout_trainMasksAndScales_evalIsIdentity_seeded() {
        Tensor x = Tensor.ones(100, 100);
        Dropout d = new Dropout(0.25f, new Generator(6));
        float[] y = d.forward(Variable.of(x)).value().toArray();
        int zeros = 0;
        for (float v : y) {
            assertTrue(v == 0f || v == 1f / 0.75f, "value " + v);
            zeros += v == 0f ? 1 : 0;
        }
        assertEquals(2500, zeros, 150);
        Generator draws = new Generator(6);
        for (int i = 0; i < y.length; i++) {
            assertEquals(draws.nextFloat() < 0.25f ? 0f : 1f / 0.75f, y[i], "element " + i + ": the i-th draw decides it");
        }
        float[] again = new Dropout(0.25f, new Generator(6)).forward(Variable.of(x)).value().toArray();
        assertArrayEquals(y, again);
        d.eval();
        Variable in = Variable.of(x);
        assertSame(in, d.forward(in));
        assertArrayEquals(new float[4], new Dropout(1f).forward(Variable.of(Tensor.ones(2, 2))).value().toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5f));
        assertEquals("Dropout: p must be in [0, 1], got 1.5", e.getMessage());
    }

    @Test
    void dropout_gradientFlowsThroughTheKeptElementsScaled() {
        Variable x = Variable.of(Tensor.ones(3, 4)).requiresGrad();
        Variable y = new Dropout(0.5f, new Generator(8)).forward(x);
        y.sum().backward();
        assertArrayEquals(y.value().toArray(), x.grad().toArray());
    }
}
