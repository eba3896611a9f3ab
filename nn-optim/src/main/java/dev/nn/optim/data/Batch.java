package dev.nn.optim.data;

import dev.nn.core.Tensor;

/** One batch: features {@code [batch, ...]} and targets {@code [batch, ...]}, row i of each belonging together. */
public record Batch(Tensor features, Tensor targets) {

    /** Returns the number of samples. */
    public int size() {
        return features.shape().dim(0);
    }
}
