package dev.nn.optim;

import dev.nn.autograd.Parameter;
import java.util.List;

/**
 * Adam, as PyTorch's {@code torch.optim.Adam}: weight decay is added to the gradient.
 *
 * <pre>
 * g = grad + weightDecay·p
 * m = beta1·m + (1 - beta1)·g;  v = beta2·v + (1 - beta2)·g²
 * v̂ = amsgrad ? (vmax = max(vmax, v)) : v
 * p = p - lr/(1 - beta1ᵗ) · m / (√v̂ / √(1 - beta2ᵗ) + eps)
 * </pre>
 */
public final class Adam extends StatefulOptimizer {

    private final AdamOptions options;

    /** Creates Adam on {@code params} with learning rate {@code lr} and the other defaults. */
    public Adam(List<Parameter> params, float lr) {
        this(AdamOptions.adam().lr(lr), ParamGroup.of(params));
    }

    /** Creates Adam with {@code options} on the given groups. */
    public Adam(AdamOptions options, ParamGroup... groups) {
        super(new ParamState("Adam", options.lr(), options.weightDecay(), groups, AdamRule.BUFFERS));
        this.options = options;
    }

    @Override
    public void step() {
        AdamRule.step(state, options.beta1(), options.beta2(), options.eps(), options.amsgrad(), false);
    }
}
