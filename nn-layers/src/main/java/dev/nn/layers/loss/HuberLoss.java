package dev.nn.layers.loss;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;

/**
 * Huber loss per element, with {@code d = |x - y|}: {@code ½d²} where {@code d <= δ}, else
 * {@code δ(d - ½δ)}; reduced (mean by default). Quadratic near the target, linear far from it.
 */
public final class HuberLoss implements Loss {

    private final Reduction reduction;
    private final float delta;

    /** Creates the loss with δ = 1 and mean reduction. */
    public HuberLoss() {
        this(Reduction.MEAN, 1f);
    }

    /** Creates the loss with the given reduction and δ > 0. */
    public HuberLoss(Reduction reduction, float delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("HuberLoss: delta must be > 0, got " + delta);
        }
        this.reduction = reduction;
        this.delta = delta;
    }

    @Override
    public Variable forward(Variable input, Tensor target) {
        return forward(input, Variable.of(target));
    }

    /**
     * Returns the loss against a target that may itself require a gradient: the target receives
     * its gradient too, as in PyTorch.
     */
    public Variable forward(Variable input, Variable target) {
        Targets.sameShape("HuberLoss", input, target);
        Variable d = input.sub(target).abs();
        Variable q = d.min(Variable.scalar(delta));                 // min(d, δ)
        return reduction.apply(q.mul(d.sub(q.mul(0.5f))));          // q·(d - q/2): ½d² inside, δ(d - δ/2) outside
    }
}
