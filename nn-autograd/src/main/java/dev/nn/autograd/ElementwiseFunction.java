package dev.nn.autograd;

import dev.nn.core.Tensor;
import dev.nn.core.kernel.FloatFunction;
import dev.nn.core.kernel.VectorFunction;

/**
 * A user's elementwise operation from its function and its derivative, two lambdas, with no
 * backward code to write: {@code y = f(x)}, {@code dx = g·f'(x)}.
 *
 * <pre>{@code
 * var swish = ElementwiseFunction.of("swish",
 *         x -> x / (1 + (float) Math.exp(-x)),
 *         x -> { float s = 1 / (1 + (float) Math.exp(-x)); return s + x * s * (1 - s); });
 * Variable y = swish.apply(x);
 * GradCheck.assertGradients(in -> swish.apply(in[0]), x);
 * }</pre>
 *
 * <p>The scalar lambdas run on every kernel. For SIMD speed, give the same two functions on
 * {@code FloatVector} as well ({@link #of(String, FloatFunction, FloatFunction, VectorFunction,
 * VectorFunction)}); they then run on whole vectors and the scalar forms on the tail, so each
 * vector form must compute what its scalar form does.
 */
public final class ElementwiseFunction extends Function {

    private final FloatFunction f;
    private final FloatFunction derivative;
    private final VectorFunction vectorF;
    private final VectorFunction vectorDerivative;

    private ElementwiseFunction(String name, FloatFunction f, FloatFunction derivative,
                                VectorFunction vectorF, VectorFunction vectorDerivative) {
        super(name, true);   // map and mul return new tensors, so gradients need no defensive copy
        if (f == null || derivative == null) {
            throw new NullPointerException(name + ": the function and its derivative are both required");
        }
        if ((vectorF == null) != (vectorDerivative == null)) {
            throw new IllegalArgumentException(name + ": give both vector forms (function and derivative) or neither");
        }
        this.f = f;
        this.derivative = derivative;
        this.vectorF = vectorF;
        this.vectorDerivative = vectorDerivative;
    }

    /** Returns the operation {@code f} with derivative {@code derivative}, both scalar. */
    public static ElementwiseFunction of(String name, FloatFunction f, FloatFunction derivative) {
        return new ElementwiseFunction(name, f, derivative, null, null);
    }

    /**
     * Returns the operation with scalar and vector forms of the function and its derivative; the
     * vector forms run on whole vectors when the SIMD kernels are active.
     */
    public static ElementwiseFunction of(String name, FloatFunction f, FloatFunction derivative,
                                         VectorFunction vectorF, VectorFunction vectorDerivative) {
        return new ElementwiseFunction(name, f, derivative, vectorF, vectorDerivative);
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        if (in.length != 1) {
            throw new IllegalArgumentException(name() + ": takes 1 input, got " + in.length);
        }
        ctx.save(in[0]);
        return in[0].map(f, vectorF);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor g) {
        return new Tensor[] {g.mul(ctx.saved(0).map(derivative, vectorDerivative))};
    }
}
