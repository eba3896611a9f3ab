package dev.nn.optim;

/** Multiplies each base rate by {@code gamma} every step: {@code lr = base·gamma^t}. */
public final class ExponentialLR extends ClosedForm {

    /** Creates the schedule on {@code optimizer}'s groups and sets the rates for step 0. */
    public ExponentialLR(Optimizer optimizer, float gamma) {
        super(optimizer, rate(gamma));
    }

    private static Rate rate(float gamma) {
        Check.nonNegative("gamma", gamma);
        return (base, t) -> base * Math.pow(gamma, t);
    }
}
