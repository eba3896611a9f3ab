package dev.nn.optim;

import dev.nn.autograd.Parameter;
import java.util.List;

/**
 * Parameters that share a learning rate and a weight decay within an optimizer, for example
 * biases and normalization weights without weight decay:
 *
 * <pre>{@code
 * var decayed = ParamGroup.of(weights);
 * var plain = ParamGroup.of(biases).weightDecay(0f);
 * var adam = new AdamW(Adam.Options.adamW().lr(1e-3f), decayed, plain);
 * }</pre>
 *
 * Values not set here come from the optimizer's options. Schedules change the learning rate
 * through {@link #setLr}.
 */
public final class ParamGroup {

    private final List<Parameter> params;
    private Float lr;
    private Float weightDecay;

    private ParamGroup(List<Parameter> params) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("ParamGroup: the group has no parameters");
        }
        this.params = List.copyOf(params);
    }

    /** Returns a group of {@code params} taking the optimizer's learning rate and weight decay. */
    public static ParamGroup of(List<Parameter> params) {
        return new ParamGroup(params);
    }

    /** Sets this group's own learning rate (before the group is given to an optimizer) and returns it. */
    public ParamGroup lr(float value) {
        Check.nonNegative("lr", value);
        lr = value;
        return this;
    }

    /** Sets this group's own weight decay (before the group is given to an optimizer) and returns it. */
    public ParamGroup weightDecay(float value) {
        Check.nonNegative("weightDecay", value);
        weightDecay = value;
        return this;
    }

    /** Returns the parameters. */
    public List<Parameter> params() {
        return params;
    }

    /** Returns the current learning rate. */
    public float lr() {
        return lr;
    }

    /** Returns the weight decay. */
    public float weightDecay() {
        return weightDecay;
    }

    /** Sets the learning rate, as schedules do between steps. */
    public void setLr(float value) {
        Check.nonNegative("lr", value);
        lr = value;
    }

    /** Fills what was not set from the optimizer's options. */
    void resolve(float defaultLr, float defaultWeightDecay) {
        if (lr == null) {
            lr = defaultLr;
        }
        if (weightDecay == null) {
            weightDecay = defaultWeightDecay;
        }
    }
}
