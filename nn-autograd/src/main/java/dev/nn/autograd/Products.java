package dev.nn.autograd;

import dev.nn.core.Shape;
import dev.nn.core.Tensor;

/** The gates that move elements around or multiply matrices: reshape, transpose, matmul, linear. */
final class Products {

    private Products() {
    }

    /** A view in a new shape; the gradient is reshaped back. */
    static final class Reshape extends Function {
        private final int[] dims;

        Reshape(int[] dims) {
            super("reshape", true);
            this.dims = dims.clone();
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            return in[0].reshape(dims);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.reshape(ctx.inputShape(0).dims())};
        }
    }

    static final Function TRANSPOSE = new Function("transpose", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            return in[0].transpose();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.transpose()};
        }
    };

    /**
     * {@code C = A·B}; {@code dA = dC·Bᵀ} and {@code dB = Aᵀ·dC} by GEMM with transpose flags. A 1-D
     * operand is viewed as a row (left) or a column (right), as the forward does.
     */
    static final Function MATMUL = new Function("matmul", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor c = in[0].matmul(in[1]);
            ctx.save(in[0], in[1]);
            return c;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Shape sa = ctx.inputShape(0);
            Shape sb = ctx.inputShape(1);
            Tensor a = ctx.saved(0);
            Tensor b = ctx.saved(1);
            Tensor a2 = sa.rank() == 1 ? a.reshape(1, sa.dim(0)) : a;
            Tensor b2 = sb.rank() == 1 ? b.reshape(sb.dim(0), 1) : b;
            Tensor g2 = g.reshape(a2.shape().dim(0), b2.shape().dim(1));
            return new Tensor[] {
                ctx.needsGrad(0) ? shaped(product(ctx, 0, g2, false, b2, true), sa) : null,
                ctx.needsGrad(1) ? shaped(product(ctx, 1, a2, true, g2, false), sb) : null};
        }
    };

    /**
     * {@code y = x·Wᵀ + b} for x {@code [n, in]}, W {@code [out, in]}, b {@code [out]} (optional),
     * by {@link Tensor#linear}: one GEMM onto the bias, with W's packed form reused while W is
     * unchanged. {@code dx = dy·W}, {@code dW = dyᵀ·x}, {@code db = Σ_rows dy}.
     */
    static final Function LINEAR = new Function("linear", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = Tensor.linear(in[0], in[1], in.length == 3 ? in[2] : null);
            ctx.save(in[0], in[1]);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor[] grads = new Tensor[ctx.inputCount()];
            if (ctx.needsGrad(0)) {
                grads[0] = product(ctx, 0, g, false, ctx.saved(1), false);
            }
            if (ctx.needsGrad(1)) {
                grads[1] = product(ctx, 1, g, true, ctx.saved(0), false);
            }
            if (grads.length == 3 && ctx.needsGrad(2)) {
                grads[2] = g.sum(0, false);
            }
            return grads;
        }
    };

    /** Returns t itself if it has the shape (an offered gradient is returned as the same tensor), else a view. */
    private static Tensor shaped(Tensor t, Shape shape) {
        return t.shape().equals(shape) ? t : t.reshape(shape.dims());
    }

    /**
     * Returns input i's gradient {@code op(a)·op(b)}: written over the gradient backward offers
     * for it (a parameter's kept gradient, of input i's shape) when that input is 2-D, and so has
     * the product's shape, else a new tensor. GEMM with beta = 0 ignores what it overwrites, so
     * the bits are the same.
     */
    private static Tensor product(Context ctx, int i, Tensor a, boolean ta, Tensor b, boolean tb) {
        Tensor into = ctx.destination(i);
        if (into != null && into.rank() == 2) {
            into.addmmInPlace(0f, a, ta, b, tb, 1f);
            return into;
        }
        return Tensor.matmul(a, ta, b, tb);
    }
}
