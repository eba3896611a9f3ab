package dev.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer against the trajectory PyTorch produces with the same hyper-parameters, on
 * {@code Σ w·(p - c)² + 0.1·Σ p⁴} over 25 steps. Runs when {@code /usr/bin/python3} has torch
 * (Debian: {@code apt-get install -y python3-torch}); skipped with a message otherwise.
 */
class TorchTrajectoryTest {

    static final String PYTHON = System.getProperty("nn.torchPython", "/usr/bin/python3");
    static final int N = 11;
    static final int STEPS = 25;
    private static Boolean torchPresent;

    record Run(String torchName, String kwargs, Function<Parameter, Optimizer> ours) {
    }

    static final List<Run> RUNS = List.of(
            new Run("SGD", "{\"lr\": 0.01}", p -> new SGD(List.of(p), 0.01f)),
            new Run("SGD", "{\"lr\": 0.01, \"momentum\": 0.9, \"dampening\": 0.1, \"weight_decay\": 0.01}",
                p -> new SGD(SGD.Options.of(0.01f).momentum(0.9f).dampening(0.1f).weightDecay(0.01f),
                        ParamGroup.of(List.of(p)))),
            new Run("SGD", "{\"lr\": 0.01, \"momentum\": 0.9, \"nesterov\": true}",
                p -> new SGD(SGD.Options.of(0.01f).momentum(0.9f).nesterov(true), ParamGroup.of(List.of(p)))),
            new Run("Adam", "{\"lr\": 0.05}", p -> new Adam(List.of(p), 0.05f)),
            new Run("Adam", "{\"lr\": 0.05, \"betas\": [0.8, 0.99], \"weight_decay\": 0.1, \"amsgrad\": true}",
                p -> new Adam(Adam.Options.adam().lr(0.05f).betas(0.8f, 0.99f).weightDecay(0.1f).amsgrad(true),
                        ParamGroup.of(List.of(p)))),
            new Run("AdamW", "{\"lr\": 0.05, \"weight_decay\": 0.1}",
                p -> new AdamW(Adam.Options.adamW().lr(0.05f).weightDecay(0.1f), ParamGroup.of(List.of(p)))),
            new Run("RMSprop", "{\"lr\": 0.01}", p -> new RMSprop(List.of(p), 0.01f)),
            new Run("RMSprop", "{\"lr\": 0.01, \"alpha\": 0.9, \"momentum\": 0.5, \"centered\": true, "
                + "\"weight_decay\": 0.01}", p -> new RMSprop(RMSprop.Options.of(0.01f).alpha(0.9f).momentum(0.5f)
                        .centered(true).weightDecay(0.01f), ParamGroup.of(List.of(p)))),
            new Run("Adagrad", "{\"lr\": 0.1, \"lr_decay\": 0.01, \"initial_accumulator_value\": 0.1}",
                p -> new Adagrad(Adagrad.Options.of(0.1f).lrDecay(0.01f).initialAccumulatorValue(0.1f),
                        ParamGroup.of(List.of(p)))));

    @BeforeEach
    void requireTorch() throws Exception {
        if (torchPresent == null) {
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
                torchPresent = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                torchPresent = false;
            }
        }
        assumeTrue(torchPresent, PYTHON + " with torch is not available (apt-get install -y python3-torch):"
                + " trajectories not compared");
    }

    @Test
    void everyOptimizer_followsPyTorchsTrajectory() throws Exception {
        Generator g = new Generator(9);
        float[] p0 = Tensor.randn(g, N).toArray();
        float[] c = Tensor.randn(g, N).toArray();
        float[] w = Tensor.rand(g, N).toArray();
        StringBuilder runs = new StringBuilder();
        for (Run r : RUNS) {
            runs.append(runs.length() == 0 ? "" : ", ").append("[\"").append(r.torchName()).append("\", ")
                    .append(r.kwargs()).append(']');
        }
        String config = "{\"p\": " + json(p0) + ", \"c\": " + json(c) + ", \"w\": " + json(w) + ", \"steps\": " + STEPS
                + ", \"runs\": [" + runs + "]}";
        Process proc = new ProcessBuilder(PYTHON, "src/test/python/torch_trajectories.py", config).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, proc.waitFor(), "torch_trajectories.py failed: " + err);
        List<float[]> theirs = parse(out);
        for (int k = 0; k < RUNS.size(); k++) {
            Parameter p = new Parameter(Tensor.of(p0, N));
            Optimizer opt = RUNS.get(k).ours().apply(p);
            Variable cv = Variable.of(c, N);
            Variable wv = Variable.of(w, N);
            for (int s = 0; s < STEPS; s++) {
                opt.zeroGrad();
                p.sub(cv).square().mul(wv).sum().add(p.pow(4f).sum().mul(0.1f)).backward();
                opt.step();
            }
            float[] ours = p.value().toArray();
            for (int i = 0; i < N; i++) {
                assertEquals(theirs.get(k)[i], ours[i], 1e-5 * Math.max(1, Math.abs(theirs.get(k)[i])),
                        RUNS.get(k).torchName() + " " + RUNS.get(k).kwargs() + " entry " + i);
            }
        }
    }

    private static String json(float[] a) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            s.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return s.append(']').toString();
    }

    private static List<float[]> parse(String out) {
        List<float[]> runs = new ArrayList<>();
        for (String run : out.substring(2, out.length() - 2).split("\\], \\[")) {
            String[] parts = run.split(",");
            float[] v = new float[parts.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.parseFloat(parts[i].trim());
            }
            runs.add(v);
        }
        assertEquals(RUNS.size(), runs.size(), "runs returned by PyTorch: " + Arrays.toString(runs.toArray()));
        return runs;
    }
}
