package dev.nn.autograd;

import dev.nn.core.Generator;
import dev.nn.core.Shape;
import dev.nn.core.Tensor;
import java.util.Arrays;

/**
 * Checks analytic gradients against central finite differences, entry by entry, in float32.
 *
 * <pre>{@code
 * GradCheck.assertGradients(in -> in[0].mul(in[1]).sigmoid(), x, y);   // one line in a JUnit test
 * }</pre>
 *
 * <p>For each input that requires a gradient and each of its entries, the numeric derivative
 * {@code (L(x + eps) - L(x - eps)) / 2eps} is compared with backward's, where {@code L} is the
 * output itself when it is a single value and otherwise {@code Σ output·R} for fixed random
 * weights R (so the check covers every output without building a Jacobian). An entry passes
 * when {@code |analytic - numeric| <= atol + rtol·|numeric|}. The defaults (eps 3e-3, atol
 * 1e-3, rtol 1e-2) suit float32: a smaller eps fails correct code on rounding, a larger one
 * hides bugs. The function must be deterministic, and inputs should sit at least 10·eps away
 * from kinks (ReLU at 0, ties of max). The given inputs are not modified.
 */
public final class GradCheck {

    /** The default checker: eps 3e-3, atol 1e-3, rtol 1e-2. */
    public static final GradCheck DEFAULT = new GradCheck(3e-3, 1e-3, 1e-2);

    private static final long WEIGHTS_SEED = 0x5EEDL;

    private final double eps;
    private final double atol;
    private final double rtol;

    /** The computation under test, from the inputs to one output. */
    @FunctionalInterface
    public interface Computation {
        /** Returns the output computed from {@code inputs}. */
        Variable apply(Variable[] inputs);
    }

    /**
     * The outcome: whether every entry passed, and the worst entry (the largest error relative
     * to its tolerance) by input position, index, analytic and numeric derivative.
     */
    public record Report(boolean passed, int input, int[] index, float analytic, float numeric, String summary) {
        @Override
        public String toString() {
            return summary;
        }
    }

    /** Creates a checker with the given step and tolerances. */
    public GradCheck(double eps, double atol, double rtol) {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, got " + eps);
        }
        if (!(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("atol and rtol must be >= 0, got " + atol + " and " + rtol);
        }
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** Checks with the default tolerances and throws an {@link AssertionError} naming the worst entry if any fails. */
    public static void assertGradients(Computation f, Variable... inputs) {
        DEFAULT.assertPasses(f, inputs);
    }

    /** Checks and throws an {@link AssertionError} naming the worst entry if any fails. */
    public void assertPasses(Computation f, Variable... inputs) {
        Report r = check(f, inputs);
        if (!r.passed()) {
            throw new AssertionError(r.summary());
        }
    }

    /** Returns the report of checking {@code f} at {@code inputs}. */
    public Report check(Computation f, Variable... inputs) {
        if (Arrays.stream(inputs).noneMatch(Variable::gradRequired)) {
            throw new IllegalArgumentException("gradcheck: no input requires a gradient (call requiresGrad() on the"
                    + " inputs to check)");
        }
        Variable[] leaves = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = new Variable(inputs[i].value().copy());
            if (inputs[i].gradRequired()) {
                leaves[i].requiresGrad();
            }
        }
        Variable out;
        try (var scope = Autograd.enableGrad()) {
            out = f.apply(leaves);
        }
        Tensor weights = out.shape().size() == 1 ? Tensor.ones(out.shape().dims())
                : Tensor.randn(new Generator(WEIGHTS_SEED), out.shape().dims());
        out.mul(new Variable(weights)).sum().backward();

        float[] w = weights.toArray();
        double worstRatio = -1;
        Report worst = null;
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].gradRequired()) {
                continue;
            }
            Tensor grad = leaves[i].grad();
            float[] analytic = grad == null ? new float[inputs[i].value().size()] : grad.toArray();
            float[] x = inputs[i].value().toArray();
            for (int j = 0; j < x.length; j++) {
                float plus = (float) (x[j] + eps);
                float minus = (float) (x[j] - eps);
                double numeric = (evaluate(f, inputs, i, j, plus, w) - evaluate(f, inputs, i, j, minus, w))
                        / ((double) plus - minus);
                double diff = Math.abs(analytic[j] - numeric);
                double ratio = diff / (atol + rtol * Math.abs(numeric));
                if (Double.isNaN(ratio)) {
                    ratio = Double.POSITIVE_INFINITY;
                }
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = report(ratio <= 1, i, unflatten(inputs[i].shape(), j), analytic[j], (float) numeric, diff);
                }
            }
        }
        if (worst == null) {
            return new Report(true, -1, new int[0], 0f, 0f, "gradcheck: passed (no entries to check)");
        }
        return worst;
    }

    private Report report(boolean passed, int input, int[] index, float analytic, float numeric, double diff) {
        String where = "input " + input + " at " + Arrays.toString(index) + ": analytic " + analytic + " vs numeric "
                + numeric + " (|diff| " + (float) diff + (passed ? " <= " : " > ") + atol + " + " + rtol + "·|numeric|)";
        String summary = passed ? "gradcheck: passed; worst entry is " + where : "gradcheck: failed at " + where;
        return new Report(passed, input, index, analytic, numeric, summary);
    }

    /** Returns Σ output·w in double, with entry j of input i set to {@code value}, without recording a graph. */
    private static double evaluate(Computation f, Variable[] inputs, int i, int j, float value, float[] w) {
        Variable[] xs = new Variable[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            Tensor v = inputs[k].value();
            if (k == i) {
                float[] a = v.toArray();
                a[j] = value;
                v = Tensor.of(a, v.shape().dims());
            }
            xs[k] = new Variable(v);
        }
        float[] out;
        try (var scope = Autograd.noGrad()) {
            out = f.apply(xs).value().toArray();
        }
        double s = 0;
        for (int k = 0; k < out.length; k++) {
            s += (double) out[k] * w[k];
        }
        return s;
    }

    private static int[] unflatten(Shape shape, int flat) {
        int[] index = new int[shape.rank()];
        for (int d = shape.rank() - 1; d >= 0; d--) {
            index[d] = flat % shape.dim(d);
            flat /= shape.dim(d);
        }
        return index;
    }
}
