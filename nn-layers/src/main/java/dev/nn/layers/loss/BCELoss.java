package dev.nn.layers.loss;

import dev.nn.autograd.Context;
import dev.nn.autograd.Function;
import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;

/**
 * Binary cross-entropy from probabilities p in [0, 1] and targets y of the same shape:
 * {@code -(y·log p + (1 - y)·log(1 - p))}, each log clamped at -100 as PyTorch does, so p = 0
 * or 1 gives a finite loss; the gradient {@code (p - y) / max(p(1 - p), 1e-12)} stays finite
 * too. Prefer {@link BCEWithLogitsLoss} on logits: it is stable without clamping.
 */
public final class BCELoss implements Loss {

    private final Reduction reduction;

    /** Creates the loss with mean reduction. */
    public BCELoss() {
        this(Reduction.MEAN);
    }

    /** Creates the loss with the given reduction. */
    public BCELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Variable forward(Variable input, Tensor target) {
        return forward(input, Variable.of(target));
    }

    /**
     * Returns the loss against a target that may itself require a gradient: the target receives
     * {@code log(1 - p) - log p} (each log clamped at -100), as in PyTorch.
     */
    public Variable forward(Variable input, Variable target) {
        Targets.sameShape("BCELoss", input, target);
        float[] p = input.value().toArray();
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0f && p[i] <= 1f)) {
                throw new IllegalArgumentException("BCELoss: input must be probabilities in [0, 1], got " + p[i]
                        + " at position " + i + " (use BCEWithLogitsLoss on logits)");
            }
        }
        return reduction.apply(ELEMENTWISE.apply(input, target));
    }

    private static final Function ELEMENTWISE = new Function("binaryCrossEntropy") {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor p = in[0];
            Tensor y = in[1];
            ctx.save(p, y);
            Tensor floor = Tensor.scalar(-100f);
            Tensor one = Tensor.scalar(1f);
            Tensor logP = p.log().max(floor);
            Tensor log1mP = one.sub(p).log().max(floor);
            return y.mul(logP).add(one.sub(y).mul(log1mP)).neg();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor p = ctx.saved(0);
            Tensor y = ctx.saved(1);
            Tensor one = Tensor.scalar(1f);
            Tensor denominator = p.mul(one.sub(p)).max(Tensor.scalar(1e-12f));
            Tensor dp = ctx.needsGrad(0) ? g.mul(p.sub(y)).div(denominator) : null;
            Tensor dy = null;
            if (ctx.needsGrad(1)) {
                Tensor floor = Tensor.scalar(-100f);
                dy = g.mul(one.sub(p).log().max(floor).sub(p.log().max(floor)));   // log(1 - p) - log p
            }
            return new Tensor[] {dp, dy};
        }
    };
}
