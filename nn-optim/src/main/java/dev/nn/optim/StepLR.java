package dev.nn.optim;

/** Multiplies each base rate by {@code gamma} every {@code stepSize} steps: {@code lr = base·gamma^⌊t/stepSize⌋}. */
public final class StepLR extends ClosedForm {

    /** Creates the schedule on {@code optimizer}'s groups and sets the rates for step 0. */
    public StepLR(Optimizer optimizer, int stepSize, float gamma) {
        super(optimizer, rate(stepSize, gamma));
    }

    private static Rate rate(int stepSize, float gamma) {
        if (stepSize <= 0) {
            throw new IllegalArgumentException("stepSize must be > 0, got " + stepSize);
        }
        Check.nonNegative("gamma", gamma);
        return (base, t) -> base * Math.pow(gamma, t / stepSize);
    }
}
