package dev.nn.autograd;

import dev.nn.core.Tensor;
import dev.nn.core.kernel.ScalarMath;
import dev.nn.core.kernel.UnaryOp;

/**
 * The activation gates beyond the lecture's (elu, selu, gelu, silu, mish, softplus, softsign,
 * hardtanh): forward on nn-core's kernels; local gradients in one fused kernel pass where nn-core
 * has one ({@code Tensor.activationBackward}), else composed of tensor operations.
 */
final class Activations {

    private Activations() {
    }

    private static final Tensor ZERO = Tensor.scalar(0f);
    private static final Tensor ONE = Tensor.scalar(1f);
    private static final Tensor HALF = Tensor.scalar(0.5f);

    /** Returns {@code a + [x > 0]·(b - a)}: b where x is positive, a elsewhere. */
    private static Tensor wherePositive(Tensor x, Tensor b, Tensor a) {
        return a.add(x.gt(ZERO).mul(b.sub(a)));
    }

    /** ELU: {@code x > 0 ? x : α(eˣ - 1)}; local gradient 1, or {@code y + α} where x <= 0. */
    static final class Elu extends Function {
        private final float alpha;

        Elu(float alpha) {
            super("elu", true);
            this.alpha = alpha;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].elu(alpha);
            ctx.save(in[0], y);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.mul(wherePositive(ctx.saved(0), ONE, ctx.saved(1).add(Tensor.scalar(alpha))))};
        }
    }

    /** SELU: {@code λ·elu(x, α)}; local gradient λ, or {@code y + λα} where x <= 0. */
    static final Function SELU = new Function("selu", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].selu();
            ctx.save(in[0], y);
            return y;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor scale = Tensor.scalar(ScalarMath.SELU_SCALE);
            Tensor negative = ctx.saved(1).add(Tensor.scalar(ScalarMath.SELU_SCALE * ScalarMath.SELU_ALPHA));
            return new Tensor[] {g.mul(wherePositive(ctx.saved(0), scale, negative))};
        }
    };

    /** GELU, exact: {@code x·Φ(x)}; local gradient {@code Φ(x) + x·φ(x)}, in one kernel pass each way. */
    static final Function GELU = new Function("gelu", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].gelu();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.activationBackward(UnaryOp.GELU, 0f, ctx.saved(0))};
        }
    };

    /** GELU, tanh approximation; local gradient {@code ½(1 + t) + ½x(1 - t²)·c(1 + 3k·x²)}, t = tanh(c(x + kx³)). */
    static final Function GELU_TANH = new Function("geluTanh", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].geluTanh();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0);
            Tensor x2 = x.square();
            Tensor c = Tensor.scalar(ScalarMath.GELU_C);
            Tensor k = Tensor.scalar(ScalarMath.GELU_K);
            Tensor t = x.add(x.mul(x2).mul(k)).mul(c).tanh();
            Tensor inner = ONE.add(x2.mul(Tensor.scalar(3 * ScalarMath.GELU_K))).mul(c);
            Tensor local = ONE.add(t).add(x.mul(ONE.sub(t.square())).mul(inner)).mul(HALF);
            return new Tensor[] {g.mul(local)};
        }
    };

    /** SiLU: {@code x·σ(x)}; local gradient {@code σ(1 + x(1 - σ))}. */
    static final Function SILU = new Function("silu", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].silu();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.activationBackward(UnaryOp.SILU, 0f, ctx.saved(0))};
        }
    };

    /** Mish: {@code x·tanh(softplus(x))}; local gradient {@code t + x·σ(x)(1 - t²)}, t = tanh(softplus(x)). */
    static final Function MISH = new Function("mish", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].mish();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0);
            Tensor t = x.softplus().tanh();
            return new Tensor[] {g.mul(t.add(x.mul(x.sigmoid()).mul(ONE.sub(t.square()))))};
        }
    };

    /** Softplus: {@code log(1 + eˣ)}; local gradient {@code σ(x)}. */
    static final Function SOFTPLUS = new Function("softplus", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].softplus();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.activationBackward(UnaryOp.SOFTPLUS, 0f, ctx.saved(0))};
        }
    };

    /** Softsign: {@code x / (1 + |x|)}; local gradient {@code 1 / (1 + |x|)²}. */
    static final Function SOFTSIGN = new Function("softsign", true) {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].softsign();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.activationBackward(UnaryOp.SOFTSIGN, 0f, ctx.saved(0))};
        }
    };

    /** Hardtanh: x clamped to [min, max]; local gradient 1 strictly inside, 0 outside. */
    static final class Hardtanh extends Function {
        private final Tensor min;
        private final Tensor max;

        Hardtanh(float min, float max) {
            super("hardtanh", true);
            if (!(min < max)) {
                throw new IllegalArgumentException("hardtanh: min must be < max, got " + min + " and " + max);
            }
            this.min = Tensor.scalar(min);
            this.max = Tensor.scalar(max);
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].max(min).min(max);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0);
            return new Tensor[] {g.mul(x.gt(min).mul(x.lt(max)))};
        }
    }
}
