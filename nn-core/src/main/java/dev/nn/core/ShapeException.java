package dev.nn.core;

/**
 * Thrown when shapes do not fit an operation; the message names the operation, both shapes
 * and the numbers that disagree, for example
 * {@code matmul: shapes [64, 1000] and [100, 10] cannot be multiplied (1000 != 100)}.
 */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with its full message. */
    public ShapeException(String message) {
        super(message);
    }
}
