package dev.nn.core.kernel;

/**
 * Elementwise functions of two arguments, applied by {@link ElementwiseKernels#binary}.
 *
 * <p>Comparisons return {@code 1.0f} where they hold and {@code 0.0f} elsewhere (NaN compares
 * false, except {@link #NE}). {@link #MAX} and {@link #MIN} follow {@link Math#max}: NaN wins.
 */
public enum BinaryOp {
    /** {@code a + b}. */
    ADD,
    /** {@code a - b}. */
    SUB,
    /** {@code a · b}. */
    MUL,
    /** {@code a / b}. */
    DIV,
    /** {@link Math#max(float, float)}. */
    MAX,
    /** {@link Math#min(float, float)}. */
    MIN,
    /** {@code a > b}. */
    GT,
    /** {@code a >= b}. */
    GE,
    /** {@code a < b}. */
    LT,
    /** {@code a <= b}. */
    LE,
    /** {@code a == b}. */
    EQ,
    /** {@code a != b}. */
    NE
}
