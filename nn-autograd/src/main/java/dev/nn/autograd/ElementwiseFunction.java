package dev.nn.autograd;

import dev.nn.core.Elementwise;
import dev.nn.core.Tensor;
import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorBiFunction;
import dev.nn.core.function.VectorFunction;

/**
 * A user's elementwise operation from its function and its derivative, two lambdas, with no
 * backward code to write: {@code y = f(x)}, {@code dx = g·f'(x)}, or {@code dx = g·f'(x, y)}
 * where the derivative is cheaper from the output (sigmoid's is {@code y·(1 - y)}).
 *
 * <pre>{@code
 * var swish = ElementwiseFunction.of("swish",
 *         x -> x / (1 + (float) Math.exp(-x)),
 *         x -> { float s = 1 / (1 + (float) Math.exp(-x)); return s + x * s * (1 - s); });
 * Variable y = swish.apply(x);
 * GradCheck.assertGradients(in -> swish.apply(in[0]), x);
 * }</pre>
 *
 * <p>The scalar lambdas run on every kernel. The SIMD kernels run a scalar lambda on vectors
 * where they can read it as a formula of their own operations (arithmetic, {@code Math.exp} and
 * its kin, {@code FloatMath}, comparisons choosing values: {@link FloatFunction} lists them), at
 * close to a built-in's speed; otherwise, or for the last few ulp of speed, give the same two
 * functions on {@code FloatVector} as well; they then run on whole vectors and the scalar forms on
 * the tail, so each vector form must compute what its scalar form does. Each operation gets
 * loops of its own ({@link Elementwise}): it runs at the same speed however many a program
 * defines, and the backward multiplies by g in the same pass.
 */
public final class ElementwiseFunction extends Function {

    private final Elementwise op;

    private ElementwiseFunction(String name, Elementwise op) {
        super(name, true);   // its results are new tensors, so gradients need no defensive copy
        this.op = op;
    }

    /** Returns the operation {@code f} with derivative {@code d(x)}, both scalar. */
    public static ElementwiseFunction of(String name, FloatFunction f, FloatFunction d) {
        return of(name, f, d, null, null);
    }

    /** Returns the operation {@code f} with a derivative {@code d(x, y)} that reads the output too, both scalar. */
    public static ElementwiseFunction of(String name, FloatFunction f, FloatBiFunction d) {
        return of(name, f, d, null, null);
    }

    /**
     * Returns the operation with scalar and vector forms of the function and its derivative
     * {@code d(x)}; the vector forms run on whole vectors when the SIMD kernels are active.
     */
    public static ElementwiseFunction of(String name, FloatFunction f, FloatFunction d,
                                         VectorFunction vf, VectorFunction vd) {
        return new ElementwiseFunction(check(name, f, d, vf, vd), Elementwise.of(f, d, vf, vd));
    }

    /** Returns the operation with scalar and vector forms of the function and its derivative {@code d(x, y)}. */
    public static ElementwiseFunction of(String name, FloatFunction f, FloatBiFunction d,
                                         VectorFunction vf, VectorBiFunction vd) {
        return new ElementwiseFunction(check(name, f, d, vf, vd), Elementwise.of(f, d, vf, vd));
    }

    /** Checks the arguments first, so that the error names the operation. */
    private static String check(String name, Object f, Object d, Object vf, Object vd) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("ElementwiseFunction: name must not be empty");
        }
        if (f == null || d == null) {
            throw new NullPointerException(name + ": the function and its derivative are both required");
        }
        if ((vf == null) != (vd == null)) {
            throw new IllegalArgumentException(name + ": give both vector forms (function and derivative) or neither");
        }
        return name;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        if (in.length != 1) {
            throw new IllegalArgumentException(name() + ": takes 1 input, got " + in.length);
        }
        Tensor y = op.apply(in[0]);
        if (op.derivativeReadsOutput()) {
            ctx.save(in[0], y);
        } else {
            ctx.save(in[0]);
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor g) {
        Tensor y = op.derivativeReadsOutput() ? ctx.saved(1) : null;
        return new Tensor[] {op.backward(g, ctx.saved(0), y)};
    }
}
