package dev.nn.optim;

/**
 * The one-cycle policy, per batch: the rate rises along a cosine from {@code maxLr/divFactor} to
 * {@code maxLr} over the first {@code pctStart} of {@code totalSteps}, then falls along a cosine
 * to {@code maxLr/(divFactor·finalDivFactor)} at step {@code totalSteps - 1}, as PyTorch's
 * {@code OneCycleLR} with {@code cycle_momentum=False} (momentum is not cycled). Stepping past
 * {@code totalSteps} is an error.
 */
public final class OneCycleLR extends ClosedForm {

    /** Creates the schedule with PyTorch's defaults: pctStart 0.3, divFactor 25, finalDivFactor 1e4. */
    public OneCycleLR(Optimizer optimizer, float maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3f, 25f, 1e4f);
    }

    /** Creates the schedule and sets the rate for step 0. */
    public OneCycleLR(Optimizer optimizer, float maxLr, int totalSteps, float pctStart, float divFactor,
                      float finalDivFactor) {
        super(optimizer, rate(maxLr, totalSteps, pctStart, divFactor, finalDivFactor), totalSteps);
    }

    private static Rate rate(float maxLr, int totalSteps, float pctStart, float divFactor, float finalDivFactor) {
        Check.nonNegative("maxLr", maxLr);
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("totalSteps must be > 0, got " + totalSteps);
        }
        if (!(pctStart > 0 && pctStart < 1)) {
            throw new IllegalArgumentException("pctStart must be in (0, 1), got " + pctStart);
        }
        Check.positive("divFactor", divFactor);
        Check.positive("finalDivFactor", finalDivFactor);
        double initial = (double) maxLr / divFactor;
        double min = initial / finalDivFactor;
        double peak = (double) pctStart * totalSteps - 1;
        double end = totalSteps - 1;
        return (base, t) -> t <= peak
                ? cosine(initial, maxLr, t / peak)
                : cosine(maxLr, min, (t - peak) / (end - peak));
    }

    private static double cosine(double from, double to, double pct) {
        return to + (from - to) / 2 * (1 + Math.cos(Math.PI * pct));
    }
}
