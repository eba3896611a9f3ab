package dev.nn.optim;

import java.util.List;

/**
 * Lowers the learning rates when a monitored metric stops improving, as PyTorch's
 * {@code ReduceLROnPlateau} (relative threshold): after more than {@code patience} steps without
 * an improvement beyond {@code threshold}, every rate is multiplied by {@code factor} (not below
 * {@code minLr}), then {@code cooldown} steps pass before counting again. A NaN metric never
 * counts as an improvement.
 */
public final class ReduceLROnPlateau {

    /** Whether lower or higher values of the metric are better. */
    public enum Mode {
        /** Lower is better (a loss). */
        MIN,
        /** Higher is better (an accuracy). */
        MAX
    }

    /** The hyper-parameters; every value is validated when set. */
    public record Options(Mode mode, float factor, int patience, float threshold, int cooldown, float minLr) {
        public Options {
            if (!(factor >= 0 && factor < 1)) {
                throw new IllegalArgumentException("factor must be in [0, 1), got " + factor);
            }
            if (patience < 0 || cooldown < 0) {
                throw new IllegalArgumentException("patience and cooldown must be >= 0, got " + patience + " and "
                        + cooldown);
            }
            Check.nonNegative("threshold", threshold);
            Check.nonNegative("minLr", minLr);
        }

        /** Returns PyTorch's defaults: MIN, factor 0.1, patience 10, threshold 1e-4, no cooldown, minLr 0. */
        public static Options defaults() {
            return new Options(Mode.MIN, 0.1f, 10, 1e-4f, 0, 0f);
        }

        /** Returns these options with {@code value} as the mode. */
        public Options mode(Mode value) {
            return new Options(value, factor, patience, threshold, cooldown, minLr);
        }

        /** Returns these options with factor {@code value}. */
        public Options factor(float value) {
            return new Options(mode, value, patience, threshold, cooldown, minLr);
        }

        /** Returns these options with patience {@code value}. */
        public Options patience(int value) {
            return new Options(mode, factor, value, threshold, cooldown, minLr);
        }

        /** Returns these options with cooldown {@code value}. */
        public Options cooldown(int value) {
            return new Options(mode, factor, patience, threshold, value, minLr);
        }

        /** Returns these options with minimum rate {@code value}. */
        public Options minLr(float value) {
            return new Options(mode, factor, patience, threshold, cooldown, value);
        }
    }

    /** Where the schedule stands, for checkpoints. */
    public record State(double best, int badSteps, int cooldownLeft, int steps) {
    }

    private static final double EPS = 1e-8;

    private final List<ParamGroup> groups;
    private final Options options;
    private double best;
    private int bad;
    private int cooldownLeft;
    private int steps;

    /** Creates the schedule with PyTorch's defaults. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, Options.defaults());
    }

    /** Creates the schedule with {@code options}. */
    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        this.groups = optimizer.groups();
        this.options = options;
        this.best = options.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Records one step's metric and lowers the rates if it has not improved for too long. */
    public void step(double metric) {
        steps++;
        if (improves(metric)) {
            best = metric;
            bad = 0;
        } else {
            bad++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            bad = 0;
        }
        if (bad > options.patience()) {
            for (ParamGroup g : groups) {
                float reduced = Math.max(g.lr() * options.factor(), options.minLr());
                if (g.lr() - reduced > EPS) {
                    g.setLr(reduced);
                }
            }
            cooldownLeft = options.cooldown();
            bad = 0;
        }
    }

    private boolean improves(double metric) {
        return options.mode() == Mode.MIN ? metric < best * (1 - options.threshold())
                : metric > best * (1 + options.threshold());
    }

    /** Returns the first group's current learning rate. */
    public float lr() {
        return groups.get(0).lr();
    }

    /** Returns where the schedule stands. */
    public State state() {
        return new State(best, bad, cooldownLeft, steps);
    }

    /** Restores a state returned by {@link #state()}. */
    public void restore(State state) {
        best = state.best();
        bad = state.badSteps();
        cooldownLeft = state.cooldownLeft();
        steps = state.steps();
    }
}
