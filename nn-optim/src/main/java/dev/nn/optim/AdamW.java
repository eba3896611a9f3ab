package dev.nn.optim;

import dev.nn.autograd.Parameter;
import dev.nn.core.Tensor;
import java.util.List;
import java.util.Map;

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
public final class AdamW implements Optimizer {

    private final AdamOptions options;
    private final ParamState state;

    /** Creates AdamW on {@code params} with learning rate {@code lr} and the other defaults. */
    public AdamW(List<Parameter> params, float lr) {
        this(AdamOptions.adamW().lr(lr), ParamGroup.of(params));
    }

    /** Creates AdamW with {@code options} on the given groups. */
    public AdamW(AdamOptions options, ParamGroup... groups) {
        this.options = options;
        this.state = new ParamState("AdamW", options.lr(), options.weightDecay(), groups, AdamRule.BUFFERS);
    }

    @Override
    public void step() {
        AdamRule.step(state, options.beta1(), options.beta2(), options.eps(), options.amsgrad(), true);
    }

    @Override
    public void zeroGrad() {
        state.zeroGrad();
    }

    @Override
    public List<ParamGroup> groups() {
        return state.groups();
    }

    @Override
    public Map<String, Tensor> state() {
        return state.export();
    }

    @Override
    public void loadState(Map<String, Tensor> saved) {
        state.load(saved);
    }
}
