package dev.nn.autograd;

import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** The elementwise gates of one input, each forward beside its local gradient. */
final class UnaryOps {

    private UnaryOps() {
    }

    private static final Tensor ZERO = Tensor.scalar(0f);

    static final Function NEG = new Function("neg", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            return in[0].neg();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.neg()};
        }
    };

    static final Function EXP = new Function("exp", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].exp();
            ctx.save(y);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.mul(ctx.saved(0))};            // d eˣ = eˣ
        }
    };

    static final Function LOG = new Function("log", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].log();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.div(ctx.saved(0))};            // d log x = 1/x
        }
    };

    static final Function SQRT = new Function("sqrt", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].sqrt();
            ctx.save(y);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor y = ctx.saved(0);
            return new Tensor[] {g.div(y.add(y))};                // d √x = 1/(2√x)
        }
    };

    static final Function SQUARE = new Function("square", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].square();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0);
            return new Tensor[] {g.mul(x.add(x))};                // d x² = 2x
        }
    };

    static final Function ABS = new Function("abs", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].abs();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0);
            return new Tensor[] {g.mul(x.gt(ZERO).sub(x.lt(ZERO)))};   // sign(x), 0 at 0
        }
    };

    static final Function RELU = new Function("relu", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].relu();
            ctx.save(y);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.activationBackward(UnaryOp.RELU, 0f, ctx.saved(0))};   // g where y > 0
        }
    };

    static final Function SIGMOID = new Function("sigmoid", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].sigmoid();
            ctx.save(y);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.activationBackward(UnaryOp.SIGMOID, 0f, ctx.saved(0))};   // σ' = σ·(1 - σ)
        }
    };

    static final Function TANH = new Function("tanh", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].tanh();
            ctx.save(y);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.activationBackward(UnaryOp.TANH, 0f, ctx.saved(0))};   // tanh' = 1 - tanh²
        }
    };

    /** {@code xᵖ}, local gradient {@code p·xᵖ⁻¹}. */
    static final class Pow extends Function {
        private final float p;

        Pow(float p) {
            super("pow", true);
            this.p = p;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].pow(p);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor local = ctx.saved(0).pow(p - 1f).mul(Tensor.scalar(p));
            return new Tensor[] {g.mul(local)};
        }
    }

    /** {@code x > 0 ? x : slope·x}, local gradient 1 or slope. */
    static final class LeakyRelu extends Function {
        private final float slope;

        LeakyRelu(float slope) {
            super("leakyRelu", true);
            this.slope = slope;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].leakyRelu(slope);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.activationBackward(UnaryOp.LEAKY_RELU, slope, ctx.saved(0))};
        }
    }
}
