package dev.nn.layers.loss;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;

/** Absolute error {@code |x - y|} per element, reduced (mean by default); target of the input's shape. */
public final class L1Loss implements Loss {

    private final Reduction reduction;

    /** Creates the loss with mean reduction. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /** Creates the loss with the given reduction. */
    public L1Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Variable forward(Variable input, Tensor target) {
        return forward(input, Variable.of(target));
    }

    /**
     * Returns the loss against a target that may itself require a gradient: the target
     * receives its gradient too, as in PyTorch.
     */
    public Variable forward(Variable input, Variable target) {
        Targets.sameShape("L1Loss", input, target);
        return reduction.apply(input.sub(target).abs());
    }
}
