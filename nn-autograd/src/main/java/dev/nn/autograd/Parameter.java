package dev.nn.autograd;

import dev.nn.core.Tensor;

/**
 * A leaf that always requires a gradient and that optimizers update in place (through
 * {@code value().addInPlace(...)}), so every graph that used it sees the new value.
 */
public final class Parameter extends Variable {

    /** Creates a parameter holding {@code value} (not copied). */
    public Parameter(Tensor value) {
        super(value);
        requiresGrad();
    }
}
