package dev.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.loss.CrossEntropyLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer against its update rule written out in double precision, over ten steps with
 * changing gradients; first steps by hand; state round trips; groups; validation messages.
 */
class OptimizerTest {

    /** The update rules, in double, exactly as torch.optim documents them. */
    interface Rule {
        void step(double[] p, double[] g, int t);
    }

    static float[][] gradients(int steps, int n) {
        Generator gen = new Generator(77);
        float[][] g = new float[steps][n];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) {
                g[s][i] = gen.nextGaussian() * (i % 3 == 0 ? 0.01f : 1f);   // mixed scales exercise eps
            }
        }
        return g;
    }

    static void matchesRule(String what, Function<Parameter, Optimizer> make, Rule rule) {
        int n = 37;
        float[] init = Tensor.randn(new Generator(5), n).toArray();
        Parameter p = new Parameter(Tensor.of(init, n));
        Optimizer opt = make.apply(p);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = init[i];
        }
        float[][] grads = gradients(10, n);
        for (int t = 1; t <= 10; t++) {
            p.zeroGrad();
            Tensor g = Tensor.of(grads[t - 1], n);
            setGrad(p, g);
            opt.step();
            double[] gd = new double[n];
            for (int i = 0; i < n; i++) {
                gd[i] = grads[t - 1][i];
            }
            rule.step(ref, gd, t);
            float[] got = p.value().toArray();
            for (int i = 0; i < n; i++) {
                assertEquals(ref[i], got[i], 2e-6 * Math.max(1, Math.abs(ref[i])), what + " step " + t + " entry " + i);
            }
        }
    }

    @Test
    void zeroGradInPlace_trainsTheSameWeightsAsSetToNone_inTheSameGradientTensors() {
        List<Function<List<Parameter>, Optimizer>> makers = List.of(
                ps -> new SGD(SGD.Options.of(0.05f).momentum(0.9f).nesterov(true), ParamGroup.of(ps)),
                ps -> new Adam(ps, 0.01f),
                ps -> new AdamW(ps, 0.01f),
                ps -> new RMSprop(RMSprop.Options.of(0.01f).momentum(0.5f), ParamGroup.of(ps)),
                ps -> new Adagrad(Adagrad.Options.of(0.1f), ParamGroup.of(ps)));
        Generator data = new Generator(3);
        Tensor x = Tensor.randn(data, 16, 9);
        float[] labels = new float[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.nextInt(4);
        }
        Tensor y = Tensor.of(labels, 16);
        for (Function<List<Parameter>, Optimizer> make : makers) {
            Sequential fresh = twoLayers();
            Sequential kept = twoLayers();
            Optimizer a = make.apply(fresh.parameters());
            Optimizer b = make.apply(kept.parameters());
            List<Tensor> storage = new ArrayList<>();
            for (int step = 0; step < 6; step++) {
                a.zeroGrad();
                b.zeroGrad(false);
                new CrossEntropyLoss().forward(fresh.forward(Variable.of(x)), y).backward();
                new CrossEntropyLoss().forward(kept.forward(Variable.of(x)), y).backward();
                a.step();
                b.step();
                assertEquals(fresh.stateDict(), kept.stateDict(), a.getClass().getSimpleName() + " step " + step);
                List<Tensor> grads = kept.parameters().stream().map(Parameter::grad).toList();
                if (step > 0) {
                    for (int i = 0; i < grads.size(); i++) {
                        assertSame(storage.get(i), grads.get(i), "parameter " + i + " keeps its gradient's storage");
                    }
                }
                storage = grads;
            }
        }
    }

    private static Sequential twoLayers() {
        Generator g = new Generator(11);
        return new Sequential(new Linear(9, 12, true, g), new ReLU(), new Linear(12, 4, true, g));
    }

    /** Gives p the gradient g through a tiny graph: d(Σ p·g)/dp = g. */
    static void setGrad(Parameter p, Tensor g) {
        p.mul(dev.nn.autograd.Variable.of(g)).sum().backward();
    }

    @Test
    void sgd_allVariants() {
        matchesRule("plain", p -> new SGD(List.of(p), 0.1f), (p, g, t) -> {
            for (int i = 0; i < p.length; i++) {
                p[i] -= 0.1 * g[i];
            }
        });
        for (boolean nesterov : new boolean[] {false, true}) {
            float damp = nesterov ? 0f : 0.1f;
            double[][] buf = new double[1][];
            matchesRule("momentum nesterov=" + nesterov, p -> new SGD(SGD.Options.of(0.05f).momentum(0.9f)
                    .dampening(damp).weightDecay(0.01f).nesterov(nesterov), ParamGroup.of(List.of(p))), (p, g, t) -> {
                        if (t == 1) {
                            buf[0] = new double[p.length];
                        }
                        for (int i = 0; i < p.length; i++) {
                            double d = g[i] + 0.01 * p[i];
                            buf[0][i] = t == 1 ? d : 0.9 * buf[0][i] + (1 - damp) * d;
                            double step = nesterov ? d + 0.9 * buf[0][i] : buf[0][i];
                            p[i] -= 0.05 * step;
                        }
                    });
        }
    }

    static Rule adamRule(double lr, double b1, double b2, double eps, double wd, boolean amsgrad, boolean decoupled) {
        double[][] s = new double[3][];
        return (p, g, t) -> {
            if (t == 1) {
                s[0] = new double[p.length];
                s[1] = new double[p.length];
                s[2] = new double[p.length];
            }
            for (int i = 0; i < p.length; i++) {
                double d = g[i];
                if (decoupled) {
                    p[i] *= 1 - lr * wd;
                } else {
                    d += wd * p[i];
                }
                s[0][i] = b1 * s[0][i] + (1 - b1) * d;
                s[1][i] = b2 * s[1][i] + (1 - b2) * d * d;
                s[2][i] = Math.max(s[2][i], s[1][i]);
                double v = amsgrad ? s[2][i] : s[1][i];
                double mHat = s[0][i] / (1 - Math.pow(b1, t));
                p[i] -= lr * mHat / (Math.sqrt(v) / Math.sqrt(1 - Math.pow(b2, t)) + eps);
            }
        };
    }

    @Test
    void adamAndAdamW_withAndWithoutAmsgrad() {
        matchesRule("adam", p -> new Adam(List.of(p), 0.01f), adamRule(0.01, 0.9, 0.999, 1e-8, 0, false, false));
        matchesRule("adam amsgrad wd", p -> new Adam(Adam.Options.adam().lr(0.02f).weightDecay(0.1f).amsgrad(true)
                .betas(0.8f, 0.99f), ParamGroup.of(List.of(p))), adamRule(0.02, 0.8, 0.99, 1e-8, 0.1, true, false));
        matchesRule("adamw", p -> new AdamW(List.of(p), 0.01f), adamRule(0.01, 0.9, 0.999, 1e-8, 0.01, false, true));
        matchesRule("adamw amsgrad", p -> new AdamW(Adam.Options.adamW().lr(0.03f).weightDecay(0.2f).amsgrad(true),
                ParamGroup.of(List.of(p))), adamRule(0.03, 0.9, 0.999, 1e-8, 0.2, true, true));
    }

    @Test
    void rmspropAndAdagrad() {
        for (boolean centered : new boolean[] {false, true}) {
            double[][] s = new double[3][];
            matchesRule("rmsprop centered=" + centered, p -> new RMSprop(RMSprop.Options.of(0.01f).momentum(0.5f)
                    .weightDecay(0.01f).centered(centered), ParamGroup.of(List.of(p))), (p, g, t) -> {
                        if (t == 1) {
                            s[0] = new double[p.length];
                            s[1] = new double[p.length];
                            s[2] = new double[p.length];
                        }
                        for (int i = 0; i < p.length; i++) {
                            double d = g[i] + 0.01 * p[i];
                            s[0][i] = 0.99 * s[0][i] + 0.01 * d * d;
                            s[1][i] = 0.99 * s[1][i] + 0.01 * d;
                            double avg = Math.sqrt(centered ? s[0][i] - s[1][i] * s[1][i] : s[0][i]) + 1e-8;
                            s[2][i] = 0.5 * s[2][i] + d / avg;
                            p[i] -= 0.01 * s[2][i];
                        }
                    });
        }
        double[][] sum = new double[1][];
        matchesRule("adagrad", p -> new Adagrad(Adagrad.Options.of(0.1f).lrDecay(0.01f).initialAccumulatorValue(0.1f)
                .weightDecay(0.001f), ParamGroup.of(List.of(p))), (p, g, t) -> {
                    if (t == 1) {
                        sum[0] = new double[p.length];
                        java.util.Arrays.fill(sum[0], 0.1);
                    }
                    double clr = 0.1 / (1 + (t - 1) * 0.01);
                    for (int i = 0; i < p.length; i++) {
                        double d = g[i] + 0.001 * p[i];
                        sum[0][i] += d * d;
                        p[i] -= clr * d / (Math.sqrt(sum[0][i]) + 1e-10);
                    }
                });
    }

    @Test
    void firstSteps_byHand() {
        Parameter p = new Parameter(Tensor.of(new float[] {1, 2}, 2));
        setGrad(p, Tensor.of(new float[] {0.5f, -1f}, 2));
        new SGD(List.of(p), 0.1f).step();
        assertArrayEquals(new float[] {0.95f, 2.1f}, p.value().toArray(), 1e-7f);
        new Adam(List.of(p), 0.1f).step();                    // m̂ = g, v̂ = g²: a step of lr against the sign
        assertArrayEquals(new float[] {0.85f, 2.2f}, p.value().toArray(), 1e-6f);
        new RMSprop(List.of(p), 0.01f).step();                // v = 0.01·g²: a step of 10·lr
        assertArrayEquals(new float[] {0.75f, 2.3f}, p.value().toArray(), 1e-5f);
    }

    @Test
    void stateSavedAndLoaded_thenTenStepsSideBySide_bitIdentical() {
        for (Function<Parameter, Optimizer> make : List.<Function<Parameter, Optimizer>>of(
                p -> new SGD(SGD.Options.of(0.1f).momentum(0.9f), ParamGroup.of(List.of(p))),
                p -> new Adam(Adam.Options.adam().amsgrad(true), ParamGroup.of(List.of(p))),
                p -> new AdamW(List.of(p), 0.01f),
                p -> new RMSprop(RMSprop.Options.of(0.01f).centered(true).momentum(0.3f), ParamGroup.of(List.of(p))),
                p -> new Adagrad(List.of(p), 0.1f))) {
            Parameter a = new Parameter(Tensor.randn(new Generator(1), 5, 3));
            Optimizer first = make.apply(a);
            float[][] grads = gradients(15, 15);
            for (int t = 0; t < 5; t++) {
                a.zeroGrad();
                setGrad(a, Tensor.of(grads[t], 5, 3));
                first.step();
            }
            Parameter b = new Parameter(a.value().copy());
            Optimizer second = make.apply(b);
            second.loadState(first.state());
            for (int t = 5; t < 15; t++) {
                a.zeroGrad();
                b.zeroGrad();
                setGrad(a, Tensor.of(grads[t], 5, 3));
                setGrad(b, Tensor.of(grads[t], 5, 3));
                first.step();
                second.step();
            }
            assertEquals(a.value(), b.value(), first.getClass().getSimpleName());
            assertEquals(first.state().keySet(), second.state().keySet());
        }
    }

    @Test
    void loadState_mismatches_listedAndNothingChanged() {
        Parameter p = new Parameter(Tensor.ones(2, 2));
        Adam adam = new Adam(List.of(p), 0.1f);
        setGrad(p, Tensor.ones(2, 2));
        adam.step();
        Map<String, Tensor> before = adam.state();
        Map<String, Tensor> bad = new java.util.LinkedHashMap<>(before);
        bad.put("state.0.exp_avg", Tensor.ones(3));
        bad.put("state.5.exp_avg", Tensor.ones(2, 2));
        bad.remove("groups.0.lr");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.loadState(bad));
        assertEquals("Adam.loadState: 3 problems: state.0.exp_avg is [3], expected [2, 2]; unexpected state.5.exp_avg;"
                + " missing groups.0.lr", e.getMessage());
        assertEquals(before.keySet(), adam.state().keySet());
        assertEquals(before.get("state.0.exp_avg"), adam.state().get("state.0.exp_avg"));
    }

    @Test
    void groups_ownLearningRateAndWeightDecay_andSkippedWithoutGradient() {
        Parameter w = new Parameter(Tensor.ones(2));
        Parameter b = new Parameter(Tensor.ones(2));
        Parameter frozen = new Parameter(Tensor.ones(2));
        SGD sgd = new SGD(SGD.Options.of(0.1f).weightDecay(0.5f), ParamGroup.of(List.of(w)),
                ParamGroup.of(List.of(b)).weightDecay(0f).lr(1f), ParamGroup.of(List.of(frozen)));
        setGrad(w, Tensor.ones(2));
        setGrad(b, Tensor.ones(2));
        sgd.step();
        assertArrayEquals(new float[] {1 - 0.1f * 1.5f, 1 - 0.1f * 1.5f}, w.value().toArray(), 1e-7f);
        assertArrayEquals(new float[] {0, 0}, b.value().toArray());
        assertEquals(Tensor.ones(2), frozen.value());
        sgd.zeroGrad();
        assertNull(w.grad());
        assertEquals(1f, sgd.groups().get(1).lr());
    }

    @Test
    void hyperParameters_validatedAtConstruction() {
        Parameter p = new Parameter(Tensor.ones(1));
        String[][] cases = {
            {"lr must be >= 0, got -0.1", "sgd"}, {"beta1 must be in [0, 1), got 1.0", "beta"},
            {"eps must be > 0, got 0.0", "eps"}, {"momentum must be >= 0, got -1.0", "rms"},
            {"nesterov momentum needs momentum > 0 and dampening 0, got momentum 0.0 and dampening 0.0", "nesterov"},
            {"SGD: parameter [1] appears twice (in one group or in two); give each parameter once", "twice"},
            {"ParamGroup: the group has no parameters", "empty"}};
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                switch (c[1]) {
                    case "sgd": new SGD(List.of(p), -0.1f); break;
                    case "beta": Adam.Options.adam().betas(1f, 0.9f); break;
                    case "eps": Adam.Options.adam().eps(0f); break;
                    case "rms": RMSprop.Options.of(0.1f).momentum(-1f); break;
                    case "nesterov": SGD.Options.of(0.1f).nesterov(true); break;
                    case "twice": new SGD(SGD.Options.of(0.1f), ParamGroup.of(List.of(p, p))); break;
                    default: ParamGroup.of(List.of()); break;
                }
            });
            assertEquals(c[0], e.getMessage());
        }
        assertTrue(new SGD(List.of(p), 0f).groups().get(0).lr() == 0f);
    }
}
