package dev.nn.optim;

import dev.nn.autograd.Parameter;
import java.util.List;

/**
 * AdamW, as PyTorch's {@code torch.optim.AdamW}: weight decay is decoupled from the gradient.
 *
 * <pre>
 * p = p·(1 - lr·weightDecay)
 * m = beta1·m + (1 - beta1)·grad;  v = beta2·v + (1 - beta2)·grad²
 * v̂ = amsgrad ? (vmax = max(vmax, v)) : v
 * p = p - lr/(1 - beta1ᵗ) · m / (√v̂ / √(1 - beta2ᵗ) + eps)
 * </pre>
 */
public final class AdamW extends StatefulOptimizer {

    private final Adam.Options options;

    /** Creates AdamW on {@code params} with learning rate {@code lr} and the other defaults. */
    public AdamW(List<Parameter> params, float lr) {
        this(Adam.Options.adamW().lr(lr), ParamGroup.of(params));
    }

    /** Creates AdamW with {@code options} on the given groups. */
    public AdamW(Adam.Options options, ParamGroup... groups) {
        super(new ParamState("AdamW", options.lr(), options.weightDecay(), groups, AdamRule.BUFFERS));
        this.options = options;
    }

    @Override
    public void step() {
        AdamRule.step(state, options.beta1(), options.beta2(), options.eps(), options.amsgrad(), true);
    }
}
