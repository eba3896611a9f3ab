package dev.nn.layers.loss;

import dev.nn.autograd.Variable;

/** How a loss combines its per-element (or per-sample) values, as PyTorch's {@code reduction}. */
public enum Reduction {
    /** No reduction: one value per element (or sample). */
    NONE,
    /** The mean (for class-weighted losses, divided by the total weight). Over an empty batch: NaN. */
    MEAN,
    /** The sum. Over an empty batch: 0. */
    SUM;

    /** Returns {@code values} reduced: unchanged, averaged or summed. */
    Variable apply(Variable values) {
        switch (this) {
            case NONE: return values;
            case SUM: return values.sum();
            default: return values.mean();
        }
    }
}
