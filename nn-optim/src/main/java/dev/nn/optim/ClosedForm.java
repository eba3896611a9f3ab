package dev.nn.optim;

import java.util.List;

/**
 * What every closed-form schedule shares: base rates, the step counter, and applying
 * {@code lr(base, t)}; a schedule supplies only its rate (validated before it is made).
 */
abstract class ClosedForm implements LRScheduler {

    /** A schedule's rate at step t for a group whose base rate is {@code base}. */
    @FunctionalInterface
    interface Rate {
        double at(double base, int t);
    }

    private final List<ParamGroup> groups;
    private final float[] base;
    private final Rate rate;
    private final int maxSteps;
    private int t;

    ClosedForm(Optimizer optimizer, Rate rate) {
        this(optimizer, rate, Integer.MAX_VALUE);
    }

    /** A schedule defined for {@code maxSteps} steps only: stepping past them throws. */
    ClosedForm(Optimizer optimizer, Rate rate, int maxSteps) {
        this.maxSteps = maxSteps;
        this.groups = optimizer.groups();
        this.base = new float[groups.size()];
        for (int k = 0; k < base.length; k++) {
            base[k] = groups.get(k).lr();
        }
        this.rate = rate;
        apply();
    }

    @Override
    public final void step() {
        setSteps(t + 1);
    }

    @Override
    public final int steps() {
        return t;
    }

    @Override
    public final void setSteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("setSteps: steps must be >= 0, got " + steps);
        }
        if (steps > maxSteps) {
            throw new IllegalStateException(getClass().getSimpleName() + ": tried to step " + steps
                    + " times; the schedule has " + maxSteps + " steps");
        }
        t = steps;
        apply();
    }

    @Override
    public final float lr() {
        return groups.get(0).lr();
    }

    private void apply() {
        for (int k = 0; k < base.length; k++) {
            groups.get(k).setLr((float) Math.max(0, rate.at(base[k], t)));
        }
    }
}
