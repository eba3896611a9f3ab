package dev.nn.optim;

import java.util.List;

/** The machinery of closed-form schedules: base rates, the step counter, and applying {@code lr(base, t)}. */
final class ClosedForm {

    /** A schedule's rate at step t for a group whose base rate is {@code base}. */
    @FunctionalInterface
    interface Rate {
        double at(double base, int t);
    }

    private final List<ParamGroup> groups;
    private final float[] base;
    private final Rate rate;
    private int t;

    ClosedForm(Optimizer optimizer, Rate rate) {
        this.groups = optimizer.groups();
        this.base = new float[groups.size()];
        for (int k = 0; k < base.length; k++) {
            base[k] = groups.get(k).lr();
        }
        this.rate = rate;
        apply();
    }

    void step() {
        setSteps(t + 1);
    }

    int steps() {
        return t;
    }

    void setSteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("setSteps: steps must be >= 0, got " + steps);
        }
        t = steps;
        apply();
    }

    float lr() {
        return groups.get(0).lr();
    }

    private void apply() {
        for (int k = 0; k < base.length; k++) {
            groups.get(k).setLr((float) Math.max(0, rate.at(base[k], t)));
        }
    }
}
