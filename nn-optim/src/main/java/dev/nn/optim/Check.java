package dev.nn.optim;

/** Validation of hyper-parameters, shared by the optimizers and schedules: messages as {@code lr must be >= 0, got -0.1}. */
final class Check {

    private Check() {
    }

    /** Checks {@code value >= 0} and finite. */
    static float nonNegative(String name, float value) {
        if (!(value >= 0) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    /** Checks {@code 0 <= value < 1}. */
    static float beta(String name, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** Checks {@code value > 0} and finite. */
    static float positive(String name, float value) {
        if (!(value > 0) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }
}
