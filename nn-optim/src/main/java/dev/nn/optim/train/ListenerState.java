package dev.nn.optim.train;

import dev.nn.core.Tensor;
import java.util.Map;

/**
 * What a {@link TrainingListener} carries across a checkpoint so that a resumed {@code fit}
 * continues exactly: named numbers (kept exactly, including infinities and NaN) and named tensors
 * (for example the best weights so far). Both maps are copied.
 */
public record ListenerState(Map<String, Double> numbers, Map<String, Tensor> tensors) {

    /** The state of a listener that carries nothing. */
    public static final ListenerState EMPTY = new ListenerState(Map.of(), Map.of());

    public ListenerState {
        numbers = Map.copyOf(numbers);
        tensors = Map.copyOf(tensors);
    }

    /** Returns whether the state carries nothing (the listener is left out of checkpoints). */
    public boolean isEmpty() {
        return numbers.isEmpty() && tensors.isEmpty();
    }

    /** Returns the number {@code name}, or throws naming what the state holds when it is absent. */
    public double number(String name) {
        Double v = numbers.get(name);
        if (v == null) {
            throw new IllegalArgumentException("listener state has no number \"" + name + "\"; it has "
                    + numbers.keySet());
        }
        return v;
    }
}
