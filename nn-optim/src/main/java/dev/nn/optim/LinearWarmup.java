package dev.nn.optim;

import java.util.List;

/**
 * A linear warm-up followed by any schedule: for the first {@code warmupSteps} steps each rate
 * grows linearly from {@code startFactor·base} towards {@code base}; then {@code after} takes
 * over, counting its own steps from 0 (PyTorch's {@code SequentialLR} of a {@code LinearLR} and
 * the other schedule). Build {@code after} first, on the same optimizer, so that it keeps the
 * base rates.
 *
 * <pre>{@code
 * var cosine = new CosineAnnealingLR(optimizer, 95, 0f);
 * var schedule = new LinearWarmup(optimizer, 5, 0.1f, cosine);
 * }</pre>
 */
public final class LinearWarmup implements LRScheduler {

    private final List<ParamGroup> groups;
    private final float[] base;
    private final int warmupSteps;
    private final float startFactor;
    private final LRScheduler after;
    private int t;

    /** Creates the warm-up and sets the rates for step 0. */
    public LinearWarmup(Optimizer optimizer, int warmupSteps, float startFactor, LRScheduler after) {
        if (warmupSteps <= 0) {
            throw new IllegalArgumentException("warmupSteps must be > 0, got " + warmupSteps);
        }
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("startFactor must be in (0, 1], got " + startFactor);
        }
        this.groups = optimizer.groups();
        this.after = after;
        after.setSteps(0);                     // the base rates, whatever after set at construction
        this.base = new float[groups.size()];
        for (int k = 0; k < base.length; k++) {
            base[k] = groups.get(k).lr();
        }
        this.warmupSteps = warmupSteps;
        this.startFactor = startFactor;
        setSteps(0);
    }

    @Override
    public void step() {
        setSteps(t + 1);
    }

    @Override
    public int steps() {
        return t;
    }

    @Override
    public void setSteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("setSteps: steps must be >= 0, got " + steps);
        }
        t = steps;
        if (t >= warmupSteps) {
            after.setSteps(t - warmupSteps);
            return;
        }
        double factor = startFactor + (1.0 - startFactor) * t / warmupSteps;
        for (int k = 0; k < base.length; k++) {
            groups.get(k).setLr((float) (base[k] * factor));
        }
    }

    @Override
    public float lr() {
        return groups.get(0).lr();
    }
}
