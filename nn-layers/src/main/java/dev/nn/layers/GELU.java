package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/**
 * Applies GELU elementwise: exact, {@code x·Φ(x)} with Φ the standard normal distribution
 * function, or its tanh approximation {@code ½x(1 + tanh(√(2/π)(x + 0.044715x³)))}; any shape.
 */
public class GELU extends Module {

    /** Which GELU, as PyTorch's {@code approximate} argument. */
    public enum Approximation {
        /** The exact form, through the error function. */
        NONE,
        /** The tanh approximation. */
        TANH
    }

    private final Approximation approximation;

    /** Creates the exact GELU. */
    public GELU() {
        this(Approximation.NONE);
    }

    /** Creates GELU, exact or approximated by tanh. */
    public GELU(Approximation approximation) {
        this.approximation = approximation;
    }

    @Override
    public Variable forward(Variable x) {
        return approximation == Approximation.TANH ? x.geluTanh() : x.gelu();
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(GELU.class, y, approximation == Approximation.TANH ? UnaryOp.GELU_TANH : UnaryOp.GELU, 0f);
    }

    @Override
    protected String describe() {
        return approximation == Approximation.TANH ? "GELU(approximation=tanh)" : "GELU()";
    }

    /** Returns which form this computes: exact, or the tanh approximation. */
    public Approximation approximation() {
        return approximation;
    }
}
