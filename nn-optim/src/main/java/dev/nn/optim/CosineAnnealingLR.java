package dev.nn.optim;

/** Anneals each base rate along a cosine to {@code etaMin} over {@code tMax} steps: {@code lr = etaMin + (base - etaMin)·(1 + cos(π·t/tMax))/2} (PyTorch's closed form; past tMax the cosine continues). */
public final class CosineAnnealingLR extends ClosedForm {

    /** Creates the schedule on {@code optimizer}'s groups and sets the rates for step 0. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, float etaMin) {
        super(optimizer, rate(tMax, etaMin));
    }

    private static Rate rate(int tMax, float etaMin) {
        if (tMax <= 0) {
            throw new IllegalArgumentException("tMax must be > 0, got " + tMax);
        }
        Check.nonNegative("etaMin", etaMin);
        return (base, t) -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }
}
