package dev.nn.layers.loss;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;

/**
 * A loss: a differentiable measure of how far {@code input} (a model's output) is from
 * {@code target}. Targets are plain tensors: values for regression and binary losses, class
 * indices (exact integers stored as floats, as {@link Tensor#argmax(int, boolean)} returns them)
 * for classification losses. Targets are validated before any arithmetic.
 *
 * <p>The value losses ({@link MSELoss}, {@link L1Loss}, {@link HuberLoss}, {@link BCELoss},
 * {@link BCEWithLogitsLoss}) also take a {@code Variable} target and differentiate with respect
 * to it where it requires a gradient, as PyTorch does (a target that is itself a model's output,
 * as in distillation). Class indices have no gradient.
 */
public interface Loss {

    /** Returns the loss of {@code input} against {@code target}, reduced as the loss was configured. */
    Variable forward(Variable input, Tensor target);
}
