package dev.nn.optim;

/** Multiplies each base rate by {@code gamma} every {@code stepSize} steps: {@code lr = base·gamma^⌊t/stepSize⌋}. */
public final class StepLR implements LRScheduler {

    private final ClosedForm schedule;

    /** Creates the schedule on {@code optimizer}'s groups and sets the rates for step 0. */
    public StepLR(Optimizer optimizer, int stepSize, float gamma) {
        if (stepSize <= 0) {
            throw new IllegalArgumentException("stepSize must be > 0, got " + stepSize);
        }
        Check.nonNegative("gamma", gamma);
        this.schedule = new ClosedForm(optimizer, (base, t) -> base * Math.pow(gamma, t / stepSize));
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
