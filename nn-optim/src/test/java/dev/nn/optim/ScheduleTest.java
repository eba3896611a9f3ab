package dev.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nn.autograd.Parameter;
import dev.nn.core.Tensor;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Every schedule's curve against its formula, resuming by setSteps, and the plateau rule. */
class ScheduleTest {

    static SGD sgd(float lr) {
        return new SGD(List.of(new Parameter(Tensor.ones(1))), lr);
    }

    static void curve(String what, LRScheduler s, int steps, IntToDoubleFunction expected) {
        for (int t = 0; t <= steps; t++) {
            assertEquals(expected.applyAsDouble(t), s.lr(), 1e-6 * Math.max(1e-3, expected.applyAsDouble(t)),
                    what + " at step " + t);
            assertEquals(t, s.steps());
            if (t < steps) {
                s.step();
            }
        }
    }

    @Test
    void closedForms() {
        curve("StepLR", new StepLR(sgd(0.1f), 3, 0.5f), 10, t -> 0.1 * Math.pow(0.5, t / 3));
        curve("MultiStepLR", new MultiStepLR(sgd(0.1f), new int[] {2, 5}, 0.1f), 8,
            t -> 0.1 * Math.pow(0.1, (t >= 2 ? 1 : 0) + (t >= 5 ? 1 : 0)));
        curve("ExponentialLR", new ExponentialLR(sgd(0.1f), 0.9f), 10, t -> 0.1 * Math.pow(0.9, t));
        curve("CosineAnnealingLR", new CosineAnnealingLR(sgd(0.1f), 10, 0.001f), 10,
            t -> 0.001 + (0.1 - 0.001) * (1 + Math.cos(Math.PI * t / 10)) / 2);
    }

    @Test
    void warmupThenCosine() {
        SGD opt = sgd(0.2f);
        var cosine = new CosineAnnealingLR(opt, 6, 0f);
        var s = new LinearWarmup(opt, 4, 0.25f, cosine);
        curve("warmup+cosine", s, 10, t -> t < 4 ? 0.2 * (0.25 + 0.75 * t / 4)
            : 0.2 * (1 + Math.cos(Math.PI * (t - 4) / 6)) / 2);
    }

    @Test
    void oneCycle_risesPeaksAndFalls_thenRefusesToGoOn() {
        SGD opt = sgd(0.5f);
        OneCycleLR s = new OneCycleLR(opt, 1f, 100);
        double peak = 0.3 * 100 - 1;
        curve("OneCycleLR", s, 100, t -> t <= peak
            ? 1.0 + (0.04 - 1.0) / 2 * (1 + Math.cos(Math.PI * t / peak))
            : 4e-6 + (1.0 - 4e-6) / 2 * (1 + Math.cos(Math.PI * (t - peak) / (99 - peak))));
        s.setSteps(0);
        assertEquals(0.04f, s.lr(), 1e-7f);
        s.setSteps(99);
        assertEquals(4e-6f, s.lr(), 1e-9f);
        s.step();
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertEquals("OneCycleLR: tried to step 101 times; the schedule has 100 steps", e.getMessage());
    }

    @Test
    void setSteps_resumesTheSameCurve_andEachGroupKeepsItsBase() {
        Parameter a = new Parameter(Tensor.ones(1));
        Parameter b = new Parameter(Tensor.ones(1));
        SGD opt = new SGD(SGD.Options.of(0.1f), ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b)).lr(1f));
        StepLR s = new StepLR(opt, 2, 0.5f);
        for (int i = 0; i < 5; i++) {
            s.step();
        }
        assertEquals(0.025f, opt.groups().get(0).lr(), 1e-8f);
        assertEquals(0.25f, opt.groups().get(1).lr(), 1e-7f);
        SGD fresh = sgd(0.1f);
        StepLR resumed = new StepLR(fresh, 2, 0.5f);
        resumed.setSteps(5);
        assertEquals(s.lr(), resumed.lr());
    }

    @Test
    void reduceOnPlateau_waitsPatienceThenCutsThenCoolsDown() {
        SGD opt = sgd(1f);
        var plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Options.defaults().patience(2).cooldown(1)
                .factor(0.5f).minLr(0.2f));
        double[] losses = {1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, Double.NaN};
        float[] expected = {1, 1, 1, 1, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f, 0.25f, 0.25f, 0.25f};
        for (int i = 0; i < losses.length; i++) {
            plateau.step(losses[i]);
            assertEquals(expected[i], plateau.lr(), 1e-7f, "after step " + (i + 1));
        }
        for (int i = 0; i < 10; i++) {
            plateau.step(0.9);
        }
        assertEquals(0.2f, plateau.lr(), 1e-7f);
        var copy = new ReduceLROnPlateau(sgd(1f), ReduceLROnPlateau.Options.defaults());
        copy.restore(plateau.state());
        assertEquals(plateau.state(), copy.state());
        var max = new ReduceLROnPlateau(sgd(1f), ReduceLROnPlateau.Options.defaults().mode(ReduceLROnPlateau.Mode.MAX)
                .patience(0));
        max.step(0.5);
        max.step(0.6);
        assertEquals(1f, max.lr());
        max.step(0.6);
        assertEquals(0.1f, max.lr(), 1e-7f);
    }

    @Test
    void badArguments_messages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd(0.1f), 0, 0.1f));
        assertEquals("stepSize must be > 0, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(sgd(0.1f), new int[] {3, 2}, 0.1f));
        assertEquals("milestones must be increasing and >= 0, got [3, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(sgd(0.1f), -1f));
        assertEquals("gamma must be >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(sgd(0.1f), 1f, 10, 1.5f, 25f, 1e4f));
        assertEquals("pctStart must be in (0, 1), got 1.5", e.getMessage());
    }
}
