package dev.nn.optim;

import java.util.Arrays;

/** Multiplies each base rate by {@code gamma} at each milestone: {@code lr = base·gamma^(milestones ≤ t)}. */
public final class MultiStepLR extends ClosedForm {

    /** Creates the schedule with increasing {@code milestones} and sets the rates for step 0. */
    public MultiStepLR(Optimizer optimizer, int[] milestones, float gamma) {
        super(optimizer, rate(milestones, gamma));
    }

    private static Rate rate(int[] milestones, float gamma) {
        int[] m = milestones.clone();
        for (int i = 0; i < m.length; i++) {
            if (m[i] < 0 || (i > 0 && m[i] <= m[i - 1])) {
                throw new IllegalArgumentException("milestones must be increasing and >= 0, got " + Arrays.toString(m));
            }
        }
        Check.nonNegative("gamma", gamma);
        return (base, t) -> {
            int passed = 0;
            while (passed < m.length && m[passed] <= t) {
                passed++;
            }
            return base * Math.pow(gamma, passed);
        };
    }
}
