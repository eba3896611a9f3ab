package dev.nn.autograd;

import dev.nn.core.Shape;
import dev.nn.core.ShapeException;
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
                ctx.needsGrad(0) ? Tensor.matmul(g2, false, b2, true).reshape(sa.dims()) : null,
                ctx.needsGrad(1) ? Tensor.matmul(a2, true, g2, false).reshape(sb.dims()) : null};
        }
    };

    /**
     * {@code y = x·Wᵀ + b} for x {@code [n, in]}, W {@code [out, in]}, b {@code [out]} (optional):
     * one GEMM plus a bias pass. {@code dx = dy·W}, {@code dW = dyᵀ·x}, {@code db = Σ_rows dy}.
     */
    static final Function LINEAR = new Function("linear", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor w = in[1];
            if (x.rank() != 2 || w.rank() != 2 || x.shape().dim(1) != w.shape().dim(1)) {
                throw new ShapeException("linear: input " + x.shape() + " and weight " + w.shape() + " do not fit"
                        + " (expected input [n, in] and weight [out, in])");
            }
            if (in.length == 3 && !in[2].shape().equals(Shape.of(w.shape().dim(0)))) {
                throw new ShapeException("linear: bias " + in[2].shape() + " does not fit weight " + w.shape()
                        + " (expected [" + w.shape().dim(0) + "])");
            }
            ctx.save(x, w);
            if (in.length == 2) {
                return Tensor.matmul(x, false, w, true);
            }
            // The bias is copied into each row and GEMM accumulates onto it (beta = 1): no second pass.
            int n = x.shape().dim(0);
            Tensor y = Tensor.zeros(n, w.shape().dim(0));
            Tensor row = in[2].reshape(1, w.shape().dim(0));
            for (int i = 0; i < n; i++) {
                y.rows(i, i + 1).copyInPlace(row);
            }
            y.addmmInPlace(1f, x, false, w, true, 1f);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor[] grads = new Tensor[ctx.inputCount()];
            if (ctx.needsGrad(0)) {
                grads[0] = Tensor.matmul(g, false, ctx.saved(1), false);
            }
            if (ctx.needsGrad(1)) {
                grads[1] = Tensor.matmul(g, true, ctx.saved(0), false);
            }
            if (grads.length == 3 && ctx.needsGrad(2)) {
                grads[2] = g.sum(0, false);
            }
            return grads;
        }
    };
}
