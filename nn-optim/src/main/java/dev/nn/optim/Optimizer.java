package dev.nn.optim;

import dev.nn.autograd.Parameter;
import dev.nn.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters in place from their gradients. Each implementation follows PyTorch's update
 * rule operation for operation, so the same hyper-parameters give the same trajectory (to float
 * rounding). Parameters without a gradient are skipped, as in PyTorch.
 */
public interface Optimizer {

    /** Applies one update to every parameter that has a gradient. */
    void step();

    /** Forgets every parameter's gradient (sets it to null); the same as {@code zeroGrad(true)}. */
    void zeroGrad();

    /**
     * Forgets every parameter's gradient, as PyTorch's {@code zero_grad(set_to_none)}: see
     * {@link dev.nn.autograd.Variable#zeroGrad(boolean)}. Without {@code setToNone} the gradients
     * keep their storage, which the next backward writes into instead of allocating new ones
     * (until then they read as zeros).
     */
    default void zeroGrad(boolean setToNone) {
        if (setToNone) {
            zeroGrad();
            return;
        }
        for (ParamGroup g : groups()) {
            for (Parameter p : g.params()) {
                p.zeroGrad(false);
            }
        }
    }

    /** Returns the parameter groups, whose learning rates schedules adjust. */
    List<ParamGroup> groups();

    /**
     * Returns a copy of the optimizer's state: per-parameter buffers and step counts as
     * {@code state.<i>.<name>} (i numbering parameters across groups in order) and each group's
     * learning rate as {@code groups.<k>.lr}.
     */
    Map<String, Tensor> state();

    /**
     * Replaces the state with {@code state} (as {@link #state()} returns it) after checking every
     * name and shape; on any mismatch nothing changes and the error lists them all.
     */
    void loadState(Map<String, Tensor> state);
}
