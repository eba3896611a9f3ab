package dev.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every differentiable operation against central finite differences of a double-precision
 * reference forward (eps 1e-6): the float32 analytic gradient must meet
 * {@code |num - ana| <= 1e-5 + 1e-3·|num|} entry by entry. Samples cover scalars, size-1
 * dimensions, broadcasting on each side, a variable used twice, and lengths that are not
 * multiples of the vector width; inputs stay well away from kinks.
 */
class GradientTest {

    interface VFn {
        Variable apply(Variable[] in);
    }

    interface DFn {
        DoubleRef apply(DoubleRef[] in);
    }

    private static final double EPS = 1e-6;
    private static int seed = 1;

    /** Values in ±[0.2, 1.7]: away from 0, where relu, abs and leakyRelu bend. */
    static Tensor away(int... shape) {
        Generator g = new Generator(seed++);
        Tensor t = Tensor.zeros(shape);
        float[] a = new float[t.size()];
        for (int i = 0; i < a.length; i++) {
            float m = 0.2f + 1.5f * g.nextFloat();
            a[i] = g.nextFloat() < 0.5f ? -m : m;
        }
        return Tensor.of(a, shape);
    }

    /** Values in [0.3, 2.3], for log, sqrt and divisors. */
    static Tensor positive(int... shape) {
        Generator g = new Generator(seed++);
        float[] a = new float[Tensor.zeros(shape).size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.3f + 2f * g.nextFloat();
        }
        return Tensor.of(a, shape);
    }

    static void check(String what, VFn f, DFn ref, Tensor... inputs) {
        Variable[] vars = new Variable[inputs.length];
        DoubleRef[] base = new DoubleRef[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vars[i] = new Variable(inputs[i].copy()).requiresGrad();
            base[i] = DoubleRef.of(inputs[i].toArray(), inputs[i].shape().dims());
        }
        Variable out = f.apply(vars);
        DoubleRef expected = ref.apply(base);
        assertArrayEquals(expected.shape(), out.shape().dims(), what + ": output shape");
        float[] o = out.value().toArray();
        for (int k = 0; k < o.length; k++) {
            if (Math.abs(o[k] - expected.v()[k]) > 1e-4 + 1e-4 * Math.abs(expected.v()[k])) {
                fail(what + ": forward element " + k + " is " + o[k] + ", reference " + expected.v()[k]);
            }
        }
        Tensor weights = Tensor.randn(new Generator(99), out.shape().dims());
        out.mul(new Variable(weights)).sum().backward();
        float[] w = weights.toArray();

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            float[] analytic = vars[i].grad().toArray();
            for (int j = 0; j < analytic.length; j++) {
                double numeric = (loss(ref, base, i, j, EPS, w) - loss(ref, base, i, j, -EPS, w)) / (2 * EPS);
                if (!(Math.abs(numeric - analytic[j]) <= 1e-5 + 1e-3 * Math.abs(numeric))) {
                    failures.add("input " + i + " entry " + j + ": analytic " + analytic[j] + ", numeric " + numeric);
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(what + ": " + failures.size() + " entries off, first: " + failures.get(0));
        }
    }

    private static double loss(DFn ref, DoubleRef[] base, int i, int j, double delta, float[] w) {
        DoubleRef[] in = base.clone();
        double[] v = base[i].v().clone();
        v[j] += delta;
        in[i] = new DoubleRef(v, base[i].shape());
        DoubleRef out = ref.apply(in);
        double s = 0;
        for (int k = 0; k < out.size(); k++) {
            s += out.v()[k] * w[k];
        }
        return s;
    }

    static final int[][] UNARY_SHAPES = {{}, {1}, {3, 17}, {2, 1, 5}};

    @Test
    void unary_everyOperation() {
        for (int[] s : UNARY_SHAPES) {
            String at = " at " + java.util.Arrays.toString(s);
            check("neg" + at, in -> in[0].neg(), in -> in[0].map(x -> -x), away(s));
            check("exp" + at, in -> in[0].exp(), in -> in[0].map(Math::exp), away(s));
            check("log" + at, in -> in[0].log(), in -> in[0].map(Math::log), positive(s));
            check("sqrt" + at, in -> in[0].sqrt(), in -> in[0].map(Math::sqrt), positive(s));
            check("square" + at, in -> in[0].square(), in -> in[0].map(x -> x * x), away(s));
            check("pow 3" + at, in -> in[0].pow(3f), in -> in[0].map(x -> x * x * x), away(s));
            check("pow -1.5" + at, in -> in[0].pow(-1.5f), in -> in[0].map(x -> Math.pow(x, -1.5)), positive(s));
            check("abs" + at, in -> in[0].abs(), in -> in[0].map(Math::abs), away(s));
            check("relu" + at, in -> in[0].relu(), in -> in[0].map(x -> Math.max(x, 0)), away(s));
            check("leakyRelu" + at, in -> in[0].leakyRelu(0.1f), in -> in[0].map(x -> x > 0 ? x : 0.1 * x), away(s));
            check("sigmoid" + at, in -> in[0].sigmoid(), in -> in[0].map(x -> 1 / (1 + Math.exp(-x))), away(s));
            check("tanh" + at, in -> in[0].tanh(), in -> in[0].map(Math::tanh), away(s));
        }
    }

    @Test
    void activations_everyOne() {
        double lambda = 1.0507009873554805;
        double alpha = 1.6732632423543772;
        double c = Math.sqrt(2 / Math.PI);
        for (int[] s : UNARY_SHAPES) {
            String at = " at " + java.util.Arrays.toString(s);
            check("elu" + at, in -> in[0].elu(0.7f), in -> in[0].map(x -> x > 0 ? x : 0.7 * (Math.exp(x) - 1)), away(s));
            check("selu" + at, in -> in[0].selu(),
                in -> in[0].map(x -> lambda * (x > 0 ? x : alpha * (Math.exp(x) - 1))), away(s));
            check("gelu" + at, in -> in[0].gelu(), in -> in[0].map(x -> x * 0.5 * (1 + DoubleRef.erf(x / Math.sqrt(2)))),
                away(s));
            check("geluTanh" + at, in -> in[0].geluTanh(),
                in -> in[0].map(x -> 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x)))), away(s));
            check("silu" + at, in -> in[0].silu(), in -> in[0].map(x -> x / (1 + Math.exp(-x))), away(s));
            check("mish" + at, in -> in[0].mish(), in -> in[0].map(x -> x * Math.tanh(Math.log1p(Math.exp(x)))), away(s));
            check("softplus" + at, in -> in[0].softplus(), in -> in[0].map(x -> Math.log1p(Math.exp(x))), away(s));
            check("softsign" + at, in -> in[0].softsign(), in -> in[0].map(x -> x / (1 + Math.abs(x))), away(s));
            check("hardtanh" + at, in -> in[0].hardtanh(-0.5f, 0.8f), in -> in[0].map(x -> Math.max(-0.5, Math.min(0.8, x))),
                away(s));
        }
    }

    @Test
    void linear_withAndWithoutBias() {
        check("linear", in -> in[0].linear(in[1], in[2]),
            in -> in[0].matmul(in[1].transpose()).zip(in[2], Double::sum), away(5, 17), away(3, 17), away(3));
        check("linear without bias", in -> in[0].linear(in[1], null), in -> in[0].matmul(in[1].transpose()),
            away(5, 17), away(3, 17));
        check("linear, one row", in -> in[0].linear(in[1], in[2]),
            in -> in[0].matmul(in[1].transpose()).zip(in[2], Double::sum), away(1, 1), away(1, 1), away(1));
    }

    static final int[][][] BINARY_SHAPES = {
        {{3, 17}, {3, 17}}, {{3, 17}, {17}}, {{17}, {3, 17}}, {{3, 1}, {1, 17}}, {{}, {2, 3}}, {{2, 3}, {}},
        {{1}, {1}}, {{2, 1, 5}, {3, 1}}};

    @Test
    void binary_everyOperationAndBroadcast() {
        for (int[][] s : BINARY_SHAPES) {
            String at = " at " + java.util.Arrays.deepToString(s);
            check("add" + at, in -> in[0].add(in[1]), in -> in[0].zip(in[1], Double::sum), away(s[0]), away(s[1]));
            check("sub" + at, in -> in[0].sub(in[1]), in -> in[0].zip(in[1], (a, b) -> a - b), away(s[0]), away(s[1]));
            check("mul" + at, in -> in[0].mul(in[1]), in -> in[0].zip(in[1], (a, b) -> a * b), away(s[0]), away(s[1]));
            check("div" + at, in -> in[0].div(in[1]), in -> in[0].zip(in[1], (a, b) -> a / b), away(s[0]),
                    positive(s[1]));
            check("max" + at, in -> in[0].max(in[1]), in -> in[0].zip(in[1], Math::max), away(s[0]), away(s[1]));
            check("min" + at, in -> in[0].min(in[1]), in -> in[0].zip(in[1], Math::min), away(s[0]), away(s[1]));
        }
    }

    @Test
    void variableUsedTwice_receivesTheSum() {
        check("x*x", in -> in[0].mul(in[0]), in -> in[0].zip(in[0], (a, b) -> a * b), away(3, 17));
        check("x/x+x", in -> in[0].div(in[0].add(in[0].exp())),
            in -> in[0].zip(in[0].map(Math::exp), (a, e) -> a / (a + e)), away(2, 9));
        check("sigmoid(x)*x", in -> in[0].sigmoid().mul(in[0]),
            in -> in[0].map(x -> x / (1 + Math.exp(-x))), away(33));
        check("x·xᵀ", in -> in[0].matmul(in[0].transpose()), in -> in[0].matmul(in[0].transpose()), away(3, 17));
        check("max(x, x)", in -> in[0].max(in[0]), in -> in[0], away(5));
    }

    @Test
    void reductions_allAndEachAxis() {
        check("sum", in -> in[0].sum(), in -> in[0].reduce(-1, false, 0, Double::sum), away(3, 17));
        check("mean", in -> in[0].mean(), in -> in[0].reduce(-1, false, 0, Double::sum).map(x -> x / 51), away(3, 17));
        check("max", in -> in[0].max(), in -> in[0].reduce(-1, false, Double.NEGATIVE_INFINITY, Math::max),
            away(3, 17));
        check("sum of a scalar", in -> in[0].sum(), in -> in[0], away());
        for (int axis = 0; axis < 3; axis++) {
            for (boolean keep : new boolean[] {false, true}) {
                int a = axis;
                int n = new int[] {2, 3, 5}[axis];
                String at = " axis " + axis + (keep ? " keepDims" : "");
                check("sum" + at, in -> in[0].sum(a, keep), in -> in[0].reduce(a, keep, 0, Double::sum), away(2, 3, 5));
                check("mean" + at, in -> in[0].mean(a, keep),
                    in -> in[0].reduce(a, keep, 0, Double::sum).map(x -> x / n), away(2, 3, 5));
                check("max" + at, in -> in[0].max(a, keep),
                    in -> in[0].reduce(a, keep, Double.NEGATIVE_INFINITY, Math::max), away(2, 3, 5));
            }
        }
        check("sum axis -1 of a size-1 dim", in -> in[0].sum(-1, false), in -> in[0].reduce(1, false, 0, Double::sum),
            away(4, 1));
    }

    @Test
    void softmaxAndLogSoftmax_rowsAndVectors() {
        for (int[] s : new int[][] {{3, 17}, {5}, {2, 1}, {2, 3, 4}}) {
            String at = " at " + java.util.Arrays.toString(s);
            check("softmax" + at, in -> in[0].softmax(), in -> in[0].softmax(false), away(s));
            check("logSoftmax" + at, in -> in[0].logSoftmax(), in -> in[0].softmax(true), away(s));
        }
    }

    @Test
    void shapeOpsGatherAndMatmul() {
        int[] labels = {2, 0, 6, 6};
        check("gather", in -> in[0].gather(labels), in -> in[0].gather(labels), away(4, 7));
        check("reshape", in -> in[0].reshape(17, -1).mul(in[1]), in -> new DoubleRef(in[0].v(), new int[] {17, 3})
            .zip(in[1], (a, b) -> a * b), away(3, 17), away(17, 3));
        check("transpose", in -> in[0].transpose(), in -> in[0].transpose(), away(3, 17));
        check("matmul 2-D", in -> in[0].matmul(in[1]), in -> in[0].matmul(in[1]), away(3, 17), away(17, 5));
        check("matmul row", in -> in[0].matmul(in[1]), in -> in[0].matmul(in[1]), away(17), away(17, 5));
        check("matmul column", in -> in[0].matmul(in[1]), in -> in[0].matmul(in[1]), away(3, 17), away(17));
        check("matmul dot", in -> in[0].matmul(in[1]), in -> in[0].matmul(in[1]), away(17), away(17));
        check("matmul 1x1", in -> in[0].matmul(in[1]), in -> in[0].matmul(in[1]), away(1, 1), away(1, 1));
    }

    @Test
    void twoLayerNetwork_endToEnd() {
        check("two-layer net", in -> in[0].matmul(in[1]).sigmoid().matmul(in[2]).sub(in[3]).square().sum(),
            in -> in[0].matmul(in[1]).map(x -> 1 / (1 + Math.exp(-x))).matmul(in[2])
                .zip(in[3], (a, b) -> (a - b) * (a - b)).reduce(-1, false, 0, Double::sum),
            away(6, 19), away(19, 9), away(9, 3), away(6, 3));
    }
}
