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

    /**
     * The hyper-parameters of {@link Adam} and {@link AdamW}, validated when set. Defaults as
     * PyTorch's: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no AMSGrad; weight decay 0 for Adam and
     * 1e-2 for AdamW.
     */
    public record Options(float lr, float beta1, float beta2, float eps, float weightDecay, boolean amsgrad) {

        public Options {
            Check.nonNegative("lr", lr);
            Check.beta("beta1", beta1);
            Check.beta("beta2", beta2);
            Check.positive("eps", eps);
            Check.nonNegative("weightDecay", weightDecay);
        }

        /** Returns Adam's defaults. */
        public static Options adam() {
            return new Options(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false);
        }

        /** Returns AdamW's defaults (weight decay 1e-2). */
        public static Options adamW() {
            return new Options(1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, false);
        }

        /** Returns these options with learning rate {@code value}. */
        public Options lr(float value) {
            return new Options(value, beta1, beta2, eps, weightDecay, amsgrad);
        }

        /** Returns these options with the moment decay rates {@code b1} and {@code b2}. */
        public Options betas(float b1, float b2) {
            return new Options(lr, b1, b2, eps, weightDecay, amsgrad);
        }

        /** Returns these options with eps {@code value}. */
        public Options eps(float value) {
            return new Options(lr, beta1, beta2, value, weightDecay, amsgrad);
        }

        /** Returns these options with weight decay {@code value}. */
        public Options weightDecay(float value) {
            return new Options(lr, beta1, beta2, eps, value, amsgrad);
        }

        /** Returns these options with AMSGrad on or off. */
        public Options amsgrad(boolean value) {
            return new Options(lr, beta1, beta2, eps, weightDecay, value);
        }
    }

    private final Options options;

    /** Creates Adam on {@code params} with learning rate {@code lr} and the other defaults. */
    public Adam(List<Parameter> params, float lr) {
        this(Options.adam().lr(lr), ParamGroup.of(params));
    }

    /** Creates Adam with {@code options} on the given groups. */
    public Adam(Options options, ParamGroup... groups) {
        super(new ParamState("Adam", options.lr(), options.weightDecay(), groups, AdamRule.BUFFERS));
        this.options = options;
    }

    @Override
    public void step() {
        AdamRule.step(state, options.beta1(), options.beta2(), options.eps(), options.amsgrad(), false);
    }
}
