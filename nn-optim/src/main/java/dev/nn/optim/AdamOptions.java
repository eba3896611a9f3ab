package dev.nn.optim;

/**
 * The hyper-parameters of {@link Adam} and {@link AdamW}, validated when set. Defaults as
 * PyTorch's: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no AMSGrad; weight decay 0 for Adam and
 * 1e-2 for AdamW.
 */
public record AdamOptions(float lr, float beta1, float beta2, float eps, float weightDecay, boolean amsgrad) {

    public AdamOptions {
        Check.nonNegative("lr", lr);
        Check.beta("beta1", beta1);
        Check.beta("beta2", beta2);
        Check.positive("eps", eps);
        Check.nonNegative("weightDecay", weightDecay);
    }

    /** Returns Adam's defaults. */
    public static AdamOptions adam() {
        return new AdamOptions(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false);
    }

    /** Returns AdamW's defaults (weight decay 1e-2). */
    public static AdamOptions adamW() {
        return new AdamOptions(1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, false);
    }

    /** Returns these options with learning rate {@code value}. */
    public AdamOptions lr(float value) {
        return new AdamOptions(value, beta1, beta2, eps, weightDecay, amsgrad);
    }

    /** Returns these options with the moment decay rates {@code b1} and {@code b2}. */
    public AdamOptions betas(float b1, float b2) {
        return new AdamOptions(lr, b1, b2, eps, weightDecay, amsgrad);
    }

    /** Returns these options with eps {@code value}. */
    public AdamOptions eps(float value) {
        return new AdamOptions(lr, beta1, beta2, value, weightDecay, amsgrad);
    }

    /** Returns these options with weight decay {@code value}. */
    public AdamOptions weightDecay(float value) {
        return new AdamOptions(lr, beta1, beta2, eps, value, amsgrad);
    }

    /** Returns these options with AMSGrad on or off. */
    public AdamOptions amsgrad(boolean value) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, value);
    }
}
