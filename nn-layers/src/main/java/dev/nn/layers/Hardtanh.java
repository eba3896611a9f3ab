package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Clamps each element to {@code [min, max]} (default [-1, 1]); the gradient passes strictly inside. */
public class Hardtanh extends Module {

    private final float min;
    private final float max;

    /** Creates the activation on [-1, 1]. */
    public Hardtanh() {
        this(-1f, 1f);
    }

    /** Creates the activation on [min, max]. */
    public Hardtanh(float min, float max) {
        if (!(min < max)) {
            throw new IllegalArgumentException("Hardtanh: min must be < max, got " + min + " and " + max);
        }
        this.min = min;
        this.max = max;
    }

    @Override
    public Variable forward(Variable x) {
        return x.hardtanh(min, max);
    }

    @Override
    protected String describe() {
        return "Hardtanh(min=" + min + ", max=" + max + ")";
    }

    /** Returns the lower bound. */
    public float min() {
        return min;
    }

    /** Returns the upper bound. */
    public float max() {
        return max;
    }
}
