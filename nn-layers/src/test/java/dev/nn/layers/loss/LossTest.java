package dev.nn.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.GradCheck;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every loss: known answers, a double-precision reference, gradient checks, stability and bad targets. */
class LossTest {

    static Variable logits(int n, int c, long seed) {
        return Variable.of(Tensor.randn(new Generator(seed), n, c).mul(Tensor.scalar(2f))).requiresGrad();
    }

    static final Tensor LABELS = Tensor.of(new float[] {2, 0, 4, 4, 1, 3, 0}, 7);

    @Test
    void crossEntropy_knownAnswers() {
        Variable z = Variable.of(new float[] {1, 2, 3}, 1, 3);
        Tensor y = Tensor.of(new float[] {2}, 1);
        assertEquals(0.40760596f, new CrossEntropyLoss().forward(z, y).item(), 1e-6f);
        assertEquals(0.50760596f, new CrossEntropyLoss().withLabelSmoothing(0.1f).forward(z, y).item(), 1e-6f);
        assertEquals(0.40760596f, new NLLLoss().forward(z.logSoftmax(), y).item(), 1e-6f);
    }

    /** PyTorch's definition, in double: weighted NLL of log-softmax, smoothing, ignore index, weighted mean. */
    static double[] crossEntropyReference(float[] z, int n, int c, float[] y, float[] w, int ignore, double eps) {
        double[] per = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int label = (int) y[i];
            if (label == ignore) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z[i * c + j]);
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(z[i * c + j] - max);
            }
            double lse = max + Math.log(s);
            double wy = w == null ? 1 : w[label];
            double smooth = 0;
            for (int j = 0; j < c; j++) {
                smooth += (w == null ? 1 : w[j]) * (lse - z[i * c + j]);
            }
            per[i] = (1 - eps) * wy * (lse - z[i * c + label]) + eps / c * smooth;
            total += wy;
        }
        double sum = 0;
        for (double p : per) {
            sum += p;
        }
        return new double[] {sum, sum / total};
    }

    @Test
    void crossEntropy_weightsIgnoreIndexSmoothing_matchTheReferenceAndGradCheck() {
        Tensor weights = Tensor.of(new float[] {0.5f, 2f, 1f, 0.25f, 3f}, 5);
        Tensor labels = Tensor.of(new float[] {2, 0, 4, -100, 1, 3, 0}, 7);
        Variable z = logits(7, 5, 3);
        for (float eps : new float[] {0f, 0.2f}) {
            for (Tensor w : new Tensor[] {null, weights}) {
                CrossEntropyLoss base = new CrossEntropyLoss().withLabelSmoothing(eps);
                CrossEntropyLoss mean = w == null ? base : base.withWeights(w);
                CrossEntropyLoss sum = new CrossEntropyLoss(Reduction.SUM).withLabelSmoothing(eps);
                sum = w == null ? sum : sum.withWeights(w);
                double[] ref = crossEntropyReference(z.value().toArray(), 7, 5, labels.toArray(),
                        w == null ? null : w.toArray(), -100, eps);
                String what = "eps=" + eps + " weights=" + (w != null);
                assertEquals(ref[1], mean.forward(z, labels).item(), 1e-5 * Math.abs(ref[1]), what);
                assertEquals(ref[0], sum.forward(z, labels).item(), 1e-5 * Math.abs(ref[0]), what);
                CrossEntropyLoss m = mean;
                GradCheck.assertGradients(in -> m.forward(in[0], labels), z);
            }
        }
        Variable none = new CrossEntropyLoss(Reduction.NONE).forward(z, labels);
        assertArrayEquals(new int[] {7}, none.shape().dims());
        assertEquals(0f, none.value().get(3));
    }

    @Test
    void crossEntropy_hugeLogits_finiteExactAndRowGradientsSumToZero() {
        Variable z = Variable.of(new float[] {1e4f, -1e4f, 0f, -1e4f, 1e4f, 1e4f}, 2, 3).requiresGrad();
        Variable loss = new CrossEntropyLoss(Reduction.SUM).forward(z, Tensor.of(new float[] {1, 2}, 2));
        double expected = 2e4 + Math.log(2);               // row 0: 1e4 - (-1e4); row 1: log(e^1e4 + e^1e4) - 1e4
        assertEquals(expected, loss.item(), 1e-6 * expected);
        loss.backward();
        float[] g = z.grad().toArray();
        for (int row = 0; row < 2; row++) {
            assertEquals(0, g[row * 3] + g[row * 3 + 1] + g[row * 3 + 2], 1e-6);
        }
        assertArrayEquals(new float[] {1, -1, 0, 0, 0.5f, -0.5f}, g, 1e-6f);
    }

    @Test
    void classLosses_badLabels_rejectedBeforeAnyArithmetic() {
        Variable z = logits(3, 10, 4);
        Tensor before = z.value().copy();
        for (Loss loss : List.<Loss>of(new CrossEntropyLoss(), new NLLLoss(), new MultiMarginLoss())) {
            String name = loss.getClass().getSimpleName();
            for (float bad : new float[] {-1, 10, Integer.MIN_VALUE}) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                        () -> loss.forward(z, Tensor.of(new float[] {0, bad, 1}, 3)));
                assertEquals(name + ": label " + (int) bad + " at position 1 is out of range for 10 classes",
                        e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loss.forward(z, Tensor.of(new float[] {0, 1, 2.5f}, 3)));
            assertEquals(name + ": label 2.5 at position 2 is not a class index (an integer in [0, 10))", e.getMessage());
            ShapeException s = assertThrows(ShapeException.class, () -> loss.forward(z, Tensor.of(new float[2], 2)));
            assertEquals(name + ": target shape [2] does not match a batch of 3 (expected [3] class indices for input"
                    + " [3, 10])", s.getMessage());
        }
        assertEquals(before, z.value());
        assertTrue(z.grad() == null);
        ShapeException s = assertThrows(ShapeException.class, () -> new CrossEntropyLoss()
                .withWeights(Tensor.ones(4)).forward(z, Tensor.of(new float[3], 3)));
        assertEquals("CrossEntropyLoss: 4 class weights for 10 classes", s.getMessage());
    }

    @Test
    void emptyBatch_meanIsNaN_sumIsZero_noCrash() {
        Variable z = Variable.of(new float[0], 0, 4).requiresGrad();
        Tensor none = Tensor.of(new float[0], 0);
        assertTrue(Float.isNaN(new CrossEntropyLoss().forward(z, none).item()));
        assertEquals(0f, new CrossEntropyLoss(Reduction.SUM).forward(z, none).item());
        assertTrue(Float.isNaN(new MSELoss().forward(Variable.of(new float[0], 0), none).item()));
    }

    @Test
    void regressionLosses_knownAnswersAndGradients() {
        Variable x = Variable.of(new float[] {1, 2, 5}, 3).requiresGrad();
        Tensor y = Tensor.of(new float[] {1.5f, 2, 1}, 3);
        assertEquals(16.25f / 3, new MSELoss().forward(x, y).item(), 1e-6f);
        assertEquals(16.25f, new MSELoss(Reduction.SUM).forward(x, y).item(), 1e-6f);
        assertEquals(1.5f, new L1Loss().forward(x, y).item(), 1e-6f);
        assertEquals(3.625f / 3, new HuberLoss().forward(x, y).item(), 1e-6f);
        assertArrayEquals(new float[] {0.125f, 0f, 3.5f}, new HuberLoss(Reduction.NONE, 1f).forward(x, y).value().toArray());
        assertArrayEquals(new float[] {0.125f, 0f, 2f * (4f - 1f)},
                new HuberLoss(Reduction.NONE, 2f).forward(x, y).value().toArray());
        Variable r = Variable.of(Tensor.randn(new Generator(5), 4, 9)).requiresGrad();
        Tensor t = Tensor.randn(new Generator(6), 4, 9);
        for (Loss loss : List.<Loss>of(new MSELoss(), new L1Loss(), new HuberLoss(), new HuberLoss(Reduction.SUM, 0.5f))) {
            GradCheck.assertGradients(in -> loss.forward(in[0], t), r);
        }
        ShapeException s = assertThrows(ShapeException.class, () -> new MSELoss().forward(x, Tensor.ones(3, 1)));
        assertEquals("MSELoss: target shape [3, 1] does not match input shape [3]", s.getMessage());
    }

    @Test
    void binaryLosses_knownAnswersStabilityAndGradients() {
        Variable p = Variable.of(new float[] {0.2f, 0.9f}, 2).requiresGrad();
        Tensor y = Tensor.of(new float[] {0, 1}, 2);
        assertEquals(0.16425204f, new BCELoss().forward(p, y).item(), 1e-6f);
        Variable sure = Variable.of(new float[] {0f, 1f}, 2).requiresGrad();
        Variable wrong = new BCELoss(Reduction.SUM).forward(sure, Tensor.of(new float[] {1, 0}, 2));
        assertEquals(200f, wrong.item());
        wrong.backward();
        for (float g : sure.grad().toArray()) {
            assertTrue(Float.isFinite(g));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BCELoss().forward(Variable.of(new float[] {0.5f, 1.5f}, 2), y));
        assertEquals("BCELoss: input must be probabilities in [0, 1], got 1.5 at position 1 (use BCEWithLogitsLoss on"
                + " logits)", e.getMessage());

        Variable z = Variable.of(new float[] {1e4f, -1e4f, 3f}, 3).requiresGrad();
        Tensor t = Tensor.of(new float[] {0, 1, 1}, 3);
        Variable loss = new BCEWithLogitsLoss(Reduction.NONE, null).forward(z, t);
        assertArrayEquals(new float[] {1e4f, 1e4f, (float) Math.log1p(Math.exp(-3))}, loss.value().toArray(), 1e-6f);
        loss.sum().backward();
        assertArrayEquals(new float[] {1f, -1f, (float) (1 / (1 + Math.exp(-3)) - 1)}, z.grad().toArray(), 1e-6f);

        Variable logitsV = Variable.of(Tensor.randn(new Generator(7), 5, 3)).requiresGrad();
        Tensor targets = Tensor.rand(new Generator(8), 5, 3);
        Tensor posWeight = Tensor.of(new float[] {1f, 3f, 0.5f}, 3);
        BCEWithLogitsLoss weighted = new BCEWithLogitsLoss(Reduction.MEAN, posWeight);
        double ref = 0;
        float[] zv = logitsV.value().toArray();
        float[] tv = targets.toArray();
        for (int i = 0; i < zv.length; i++) {
            double s = 1 / (1 + Math.exp(-zv[i]));
            ref -= posWeight.get(i % 3) * tv[i] * Math.log(s) + (1 - tv[i]) * Math.log(1 - s);
        }
        assertEquals(ref / zv.length, weighted.forward(logitsV, targets).item(), 1e-6);
        GradCheck.assertGradients(in -> weighted.forward(in[0], targets), logitsV);
        Variable probs = Variable.of(Tensor.rand(new Generator(9), 5, 3).mul(Tensor.scalar(0.8f)).add(Tensor.scalar(0.1f)))
                .requiresGrad();
        GradCheck.assertGradients(in -> new BCELoss().forward(in[0], targets), probs);
    }

    @Test
    void multiMargin_knownAnswersAndGradients() {
        Variable x = Variable.of(new float[] {0.1f, 0.2f, 0.4f, 0.8f}, 1, 4);
        Tensor y = Tensor.of(new float[] {3}, 1);
        assertEquals(0.325f, new MultiMarginLoss().forward(x, y).item(), 1e-6f);
        assertEquals(0.1525f, new MultiMarginLoss(Reduction.MEAN, 2, 1f, null).forward(x, y).item(), 1e-6f);
        Variable z = logits(7, 5, 10);
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5}, 5);
        for (Loss loss : List.<Loss>of(new MultiMarginLoss(), new MultiMarginLoss(Reduction.SUM, 2, 0.5f, w))) {
            GradCheck.assertGradients(in -> loss.forward(in[0], LABELS), z);
        }
    }

    @Test
    void valueLosses_variableTarget_gradientsReachInputAndTarget() {
        Generator g = new Generator(40);
        Tensor a = Tensor.randn(g, 3, 4);
        Tensor b = Tensor.randn(g, 3, 4);
        Tensor probabilities = Tensor.rand(g, 3, 4).mul(0.8f).add(0.1f);
        Tensor soft = Tensor.rand(g, 3, 4);
        Variable x = Variable.of(a).requiresGrad();
        Variable y = Variable.of(b).requiresGrad();
        GradCheck.assertGradients(in -> new MSELoss().forward(in[0], in[1]), x, y);
        GradCheck.assertGradients(in -> new L1Loss().forward(in[0], in[1]), x, y);
        GradCheck.assertGradients(in -> new HuberLoss(Reduction.MEAN, 0.7f).forward(in[0], in[1]), x, y);
        GradCheck.assertGradients(in -> new BCEWithLogitsLoss().forward(in[0], in[1]),
                x, Variable.of(soft).requiresGrad());
        GradCheck.assertGradients(in -> new BCEWithLogitsLoss(Reduction.SUM, Tensor.full(2f, 4)).forward(in[0], in[1]),
                x, Variable.of(soft).requiresGrad());
        GradCheck.assertGradients(in -> new BCELoss().forward(in[0], in[1]),
                Variable.of(probabilities).requiresGrad(), Variable.of(soft).requiresGrad());
        // A target without a gradient gives the same value as the Tensor form.
        assertEquals(new MSELoss().forward(x, b).item(), new MSELoss().forward(x, Variable.of(b)).item());
        assertEquals(new BCEWithLogitsLoss().forward(x, soft).item(),
                new BCEWithLogitsLoss().forward(x, Variable.of(soft)).item());
        Variable target = Variable.of(b).requiresGrad();
        new MSELoss().forward(Variable.of(a), target).backward();
        assertEquals(b.sub(a).mul(2f / 12f), target.grad());     // d/dy mean((x - y)²) = 2(y - x)/n
    }
}
