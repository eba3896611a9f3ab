package dev.nn.core;

import dev.nn.core.function.FloatBiFunction;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.VectorBiFunction;
import dev.nn.core.function.VectorFunction;
import dev.nn.core.kernel.ElementwiseKernels;
import dev.nn.core.kernel.GradientKernel;
import dev.nn.core.kernel.MapKernel;
import java.util.function.Function;

/**
 * A user's elementwise function {@code y = f(x)}, and optionally its derivative, compiled into
 * loops of their own: the function, and the chain rule {@code g·f'(x)} (or {@code g·f'(x, y)}
 * where the derivative reads the output) in one pass. Each keeps its speed however many a program
 * defines, since the JIT sees one function in each loop.
 *
 * <p>The scalar forms run on the scalar kernels and on the tails; the vector forms, where given,
 * on whole vectors of the SIMD kernels, and must compute what the scalar forms do. Where none is
 * given, the SIMD kernels run a scalar lambda's formula on vectors if they can read it
 * ({@link FloatFunction} says what they read), else the lambda as written. The loops are
 * compiled for the kernels of the backend that runs them (again when a backend of the other
 * kernels does). May be used from any thread.
 */
public final class Elementwise {

    private final Function<ElementwiseKernels, MapKernel> functionLoop;
    private final Function<ElementwiseKernels, GradientKernel> derivativeLoop;
    private final boolean readsOutput;
    // The loops compiled for the kernels that last ran this (a backend's SIMD or scalar twin).
    private volatile Loops loops;

    private Elementwise(Function<ElementwiseKernels, MapKernel> functionLoop,
                        Function<ElementwiseKernels, GradientKernel> derivativeLoop) {
        this.functionLoop = functionLoop;
        this.derivativeLoop = derivativeLoop;
        Loops now = loops(TensorOps.kernels());
        this.readsOutput = now.derivative != null && now.derivative.readsOutput();
    }

    private record Loops(ElementwiseKernels kernels, MapKernel function, GradientKernel derivative) {
    }

    /** Returns the loops for {@code kernels}, compiling them when the last ones were for other kernels. */
    private Loops loops(ElementwiseKernels kernels) {
        Loops l = loops;
        if (l == null || l.kernels != kernels) {
            l = new Loops(kernels, functionLoop.apply(kernels),
                    derivativeLoop == null ? null : derivativeLoop.apply(kernels));
            loops = l;
        }
        return l;
    }

    /** Returns {@code f} with no derivative; {@code vf} may be null. */
    public static Elementwise of(FloatFunction f, VectorFunction vf) {
        require(f, "the function f");
        return new Elementwise(k -> k.map(f, vf), null);
    }

    /**
     * Returns {@code f} with a derivative of its input, {@code d(x)}; the vector forms are both
     * given or both null.
     */
    public static Elementwise of(FloatFunction f, FloatFunction d, VectorFunction vf, VectorFunction vd) {
        require(f, "the function f");
        require(d, "the derivative d");
        pair(vf, vd);
        return new Elementwise(k -> k.map(f, vf), k -> k.gradient(d, vd));
    }

    /**
     * Returns {@code f} with a derivative that reads the output too, {@code d(x, y)} with
     * {@code y = f(x)}; the vector forms are both given or both null.
     */
    public static Elementwise of(FloatFunction f, FloatBiFunction d, VectorFunction vf, VectorBiFunction vd) {
        require(f, "the function f");
        require(d, "the derivative d");
        pair(vf, vd);
        return new Elementwise(k -> k.map(f, vf), k -> k.gradient(d, vd));
    }

    private static void require(Object f, String what) {
        if (f == null) {
            throw new NullPointerException("elementwise: " + what + " is required");
        }
    }

    private static void pair(Object vf, Object vd) {
        if ((vf == null) != (vd == null)) {
            throw new IllegalArgumentException("elementwise: give both vector forms (function and derivative) or"
                    + " neither, got " + (vf == null ? "only the derivative's" : "only the function's"));
        }
    }

    /** Returns whether this has a derivative, so {@link #backward} may be called. */
    public boolean hasDerivative() {
        return derivativeLoop != null;
    }

    /** Returns whether the derivative reads the output y (so backward needs it), not only the input x. */
    public boolean derivativeReadsOutput() {
        return readsOutput;
    }

    /** Returns {@code f(x)}, elementwise, as a new tensor of x's shape. */
    public Tensor apply(Tensor x) {
        MapKernel function = loops(TensorOps.kernels()).function;
        float[] y = new float[x.size()];
        TensorOps.chunked(y.length, (from, n) -> function.apply(x.data, x.offset + from, y, from, n));
        return new Tensor(y, x.shape);
    }

    /**
     * Returns {@code g·f'(x)}, or {@code g·f'(x, y)}, elementwise: the gradient with respect to x
     * given g, the gradient with respect to y. {@code y} may be null where the derivative does not
     * read it.
     *
     * @throws IllegalStateException if this has no derivative
     * @throws ShapeException if g, x and y differ in shape
     */
    public Tensor backward(Tensor g, Tensor x, Tensor y) {
        if (derivativeLoop == null) {
            throw new IllegalStateException("elementwise backward: this function was given no derivative");
        }
        if (!g.shape.equals(x.shape) || (readsOutput && (y == null || !y.shape.equals(x.shape)))) {
            throw new ShapeException("elementwise backward: gradient " + g.shape + ", input " + x.shape + " and output "
                    + (y == null ? "null" : y.shape.toString()) + " must have one shape");
        }
        GradientKernel derivative = loops(TensorOps.kernels()).derivative;
        float[] out = new float[g.size()];
        float[] yd = y == null ? null : y.data;
        int yo = y == null ? 0 : y.offset;
        TensorOps.chunked(out.length, (from, n) -> derivative.apply(g.data, g.offset + from, x.data, x.offset + from, yd,
                yo + from, out, from, n));
        return new Tensor(out, g.shape);
    }
}
