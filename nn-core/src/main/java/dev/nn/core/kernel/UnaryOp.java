package dev.nn.core.kernel;

/**
 * Elementwise functions of one argument, applied by {@link ElementwiseKernels#unary}.
 *
 * <p>{@code p} is the operation's parameter where it has one (the slope of {@link #LEAKY_RELU},
 * the alpha of {@link #ELU}, the exponent of {@link #POW}) and is ignored otherwise. The scalar
 * definitions in {@link ScalarElementwise} are the specification.
 */
public enum UnaryOp {
    /** {@code -x}. */
    NEG,
    /** {@code |x|}. */
    ABS,
    /** {@code x·x}. */
    SQUARE,
    /** Correctly rounded square root. */
    SQRT,
    /** {@code eˣ} by our polynomial (at most 2 ulp, identical in both twins). */
    EXP,
    /** Natural logarithm by our polynomial (at most 2 ulp, identical in both twins). */
    LOG,
    /** Hyperbolic tangent by our polynomial (at most 2 ulp, identical in both twins). */
    TANH,
    /** {@code 1 / (1 + e⁻ˣ)}. */
    SIGMOID,
    /** The error function, by {@link ScalarMath#erf} (absolute error below 3e-7, identical in both twins). */
    ERF,
    /** {@code max(x, 0)}; NaN stays NaN. */
    RELU,
    /** {@code x > 0 ? x : p·x}. */
    LEAKY_RELU,
    /** {@code x > 0 ? x : p·(eˣ - 1)}. */
    ELU,
    /** {@code λ·(x > 0 ? x : α·(eˣ - 1))} with PyTorch's λ and α. */
    SELU,
    /** {@code x·sigmoid(x)}. */
    SILU,
    /** {@code log(1 + eˣ)}, computed as {@code max(x, 0) + log1p(e^-|x|)} so it never overflows. */
    SOFTPLUS,
    /** {@code x / (1 + |x|)}. */
    SOFTSIGN,
    /** GELU, tanh approximation: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
    GELU_TANH,
    /** {@code x·tanh(softplus(x))}. */
    MISH,
    /** GELU, exact: {@code x·Φ(x)}, computed as {@code x·((1 + erf(x/√2))·0.5)}. */
    GELU,
    /** {@code 1 / x}. */
    RECIPROCAL,
    /** {@code xᵖ} as {@link Math#pow}; runs on the scalar path in both twins (no bit-exact vector form). */
    POW;

    /** What an op's fused backward ({@link ElementwiseKernels#backward}) reads besides the gradient. */
    public enum Saved {
        /** The op's output y. */
        OUTPUT,
        /** The op's input x. */
        INPUT,
        /** Nothing: the op has no fused backward. */
        NONE
    }

    /**
     * Returns what this op's fused backward reads: the output for RELU, SIGMOID and TANH (whose
     * local gradients are cheapest from it), the input for LEAKY_RELU, SILU, SOFTPLUS,
     * SOFTSIGN and GELU, NONE for the rest.
     */
    public Saved backwardReads() {
        switch (this) {
            case RELU: case SIGMOID: case TANH:
                return Saved.OUTPUT;
            case LEAKY_RELU: case SILU: case SOFTPLUS: case SOFTSIGN: case GELU:
                return Saved.INPUT;
            default:
                return Saved.NONE;
        }
    }
}
