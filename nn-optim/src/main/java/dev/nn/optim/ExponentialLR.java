package dev.nn.optim;

/** Multiplies each base rate by {@code gamma} every step: {@code lr = base·gamma^t}. */
public final class ExponentialLR implements LRScheduler {

    private final ClosedForm schedule;

    /** Creates the schedule on {@code optimizer}'s groups and sets the rates for step 0. */
    public ExponentialLR(Optimizer optimizer, float gamma) {
        Check.nonNegative("gamma", gamma);
        this.schedule = new ClosedForm(optimizer, (base, t) -> base * Math.pow(gamma, t));
    }

    @Override
    public void step() {
        schedule.step();
    }

    @Override
    public int steps() {
        return schedule.steps();
    }

    @Override
    public void setSteps(int t) {
        schedule.setSteps(t);
    }

    @Override
    public float lr() {
        return schedule.lr();
    }
}
