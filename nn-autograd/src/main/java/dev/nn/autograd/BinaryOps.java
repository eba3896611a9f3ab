package dev.nn.autograd;

import dev.nn.core.Tensor;

/**
 * The elementwise gates of two inputs, with broadcasting: each gradient is summed back down to
 * its input's shape ({@link Function#sumTo}).
 */
final class BinaryOps {

    private BinaryOps() {
    }

    private static final Tensor HALF = Tensor.scalar(0.5f);

    static final Function ADD = new Function("add", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            return in[0].add(in[1]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {       // distributes
            return new Tensor[] {
                ctx.needsGrad(0) ? sumTo(g, ctx.inputShape(0)) : null,
                ctx.needsGrad(1) ? sumTo(g, ctx.inputShape(1)) : null};
        }
    };

    static final Function SUB = new Function("sub", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            return in[0].sub(in[1]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {
                ctx.needsGrad(0) ? sumTo(g, ctx.inputShape(0)) : null,
                ctx.needsGrad(1) ? sumTo(g, ctx.inputShape(1)).neg() : null};
        }
    };

    static final Function MUL = new Function("mul", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return in[0].mul(in[1]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {       // swaps
            return new Tensor[] {
                ctx.needsGrad(0) ? sumTo(g.mul(ctx.saved(1)), ctx.inputShape(0)) : null,
                ctx.needsGrad(1) ? sumTo(g.mul(ctx.saved(0)), ctx.inputShape(1)) : null};
        }
    };

    static final Function DIV = new Function("div", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return in[0].div(in[1]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor a = ctx.saved(0);
            Tensor b = ctx.saved(1);
            Tensor gOverB = g.div(b);                                  // d(a/b)/da = 1/b
            return new Tensor[] {
                ctx.needsGrad(0) ? sumTo(gOverB, ctx.inputShape(0)) : null,
                ctx.needsGrad(1) ? sumTo(gOverB.mul(a).div(b).neg(), ctx.inputShape(1)) : null};   // -a/b²
        }
    };

    static final Function MAX = new Routing("max", true);
    static final Function MIN = new Routing("min", false);

    /** max and min: the gradient is routed to the winning input, half to each on a tie. */
    private static final class Routing extends Function {
        private final boolean max;

        Routing(String name, boolean max) {
            super(name, true);
            this.max = max;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return max ? in[0].max(in[1]) : in[0].min(in[1]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor a = ctx.saved(0);
            Tensor b = ctx.saved(1);
            Tensor toA = (max ? a.gt(b) : a.lt(b)).add(a.eq(b).mul(HALF));
            Tensor toB = (max ? b.gt(a) : b.lt(a)).add(a.eq(b).mul(HALF));
            return new Tensor[] {
                ctx.needsGrad(0) ? sumTo(g.mul(toA), ctx.inputShape(0)) : null,
                ctx.needsGrad(1) ? sumTo(g.mul(toB), ctx.inputShape(1)) : null};
        }
    }
}
