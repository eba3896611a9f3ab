package dev.nn.layers.loss;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;

/**
 * Binary cross-entropy from logits z and targets y of the same shape, in the stable form
 * {@code (1 - y)·z + w·softplus(-z)} with {@code softplus(-z) = max(-z, 0) + log1p(e^-|z|)} and
 * {@code w = 1 + (posWeight - 1)·y}: finite for any finite logit (±1e4 included), gradient
 * {@code σ(z) - y} without a weight. An optional positive-class weight broadcasts over the last
 * dimension, as PyTorch's {@code pos_weight}.
 */
public final class BCEWithLogitsLoss implements Loss {

    private final Reduction reduction;
    private final Tensor posWeight;

    /** Creates the loss with mean reduction and no positive-class weight. */
    public BCEWithLogitsLoss() {
        this(Reduction.MEAN, null);
    }

    /** Creates the loss with the given reduction and positive-class weight (or null). */
    public BCEWithLogitsLoss(Reduction reduction, Tensor posWeight) {
        this.reduction = reduction;
        this.posWeight = posWeight == null ? null : posWeight.copy();
    }

    @Override
    public Variable forward(Variable input, Tensor target) {
        Targets.sameShape("BCEWithLogitsLoss", input, target);
        Tensor one = Tensor.scalar(1f);
        Tensor logWeight = posWeight == null ? one : posWeight.sub(one).mul(target).add(one);
        Variable loss = Variable.of(one.sub(target)).mul(input).add(input.neg().softplus().mul(Variable.of(logWeight)));
        return reduction.apply(loss);
    }

    /**
     * Returns the loss against a target that may itself require a gradient: the target receives
     * {@code -x + (posWeight - 1)·softplus(-x)}, as in PyTorch. With a target that needs none this
     * is {@link #forward(Variable, Tensor)}.
     */
    public Variable forward(Variable input, Variable target) {
        if (!target.gradRequired()) {
            return forward(input, target.value());
        }
        Targets.sameShape("BCEWithLogitsLoss", input, target);
        Variable one = Variable.scalar(1f);
        Variable logWeight = posWeight == null ? one : Variable.of(posWeight.sub(Tensor.scalar(1f))).mul(target).add(one);
        return reduction.apply(one.sub(target).mul(input).add(input.neg().softplus().mul(logWeight)));
    }
}
