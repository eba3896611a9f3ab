package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** Applies {@code x > 0 ? x : α(eˣ - 1)} elementwise; any shape. The default α is 1. */
public class ELU extends Module {

    private final float alpha;

    /** Creates the activation with α = 1. */
    public ELU() {
        this(1f);
    }

    /** Creates the activation with the given α. */
    public ELU(float alpha) {
        this.alpha = alpha;
    }

    @Override
    public Variable forward(Variable x) {
        return x.elu(alpha);
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(ELU.class, y, UnaryOp.ELU, alpha);
    }

    @Override
    protected String describe() {
        return "ELU(alpha=" + alpha + ")";
    }

    /** Returns α, the value negative inputs approach. */
    public float alpha() {
        return alpha;
    }
}
