package dev.nn.examples;

import dev.nn.autograd.GradCheck;
import dev.nn.autograd.Variable;
import dev.nn.core.Backend;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.core.function.FloatFunction;
import dev.nn.core.function.FloatMath;
import dev.nn.core.function.VectorMath;
import dev.nn.layers.Activation;
import dev.nn.layers.Linear;
import dev.nn.layers.Module;
import dev.nn.layers.SiLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.Adam;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.train.Evaluation;
import dev.nn.optim.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A user-defined activation, swish {@code x·σ(x)}, declared each way nn offers: composed of
 * built-in operations, from its function and derivative as scalar lambdas, with {@code FloatVector}
 * forms beside them, and with a learnable parameter (swish-β, {@code x·σ(β·x)}). Each is
 * gradient-checked in one call and timed beside the built-in SiLU; then a network with it is
 * trained on the spiral.
 */
@Command(name = "custom-activation", mixinStandardHelpOptions = true,
        description = "Declare an activation each way nn offers, check and time each, train with one.")
final class CustomActivation implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 150;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--timing-seconds", description = "Seconds each form warms up for, and then is timed for "
            + "(default: ${DEFAULT-VALUE}; 0 skips the timing).")
    double timingSeconds = 1;

    /** One way of declaring swish: its gradient check and its time per forward + backward of [128, 512]. */
    record Form(String name, GradCheck.Report check, double micros) {
    }

    /** The forms, and the accuracy of the network trained with the fastest user form. */
    record Result(List<Form> forms, double accuracy) {
        boolean passed() {
            return forms.stream().allMatch(f -> f.check().passed());
        }
    }

    /** swish composed of built-in operations: backward comes from theirs. */
    static Activation composed() {
        return Activation.of("swish", x -> x.mul(x.sigmoid()));
    }

    /** swish, {@code x·σ(x)}, on one float (FloatMath: the same bits on every JIT tier and in the vector form). */
    static final FloatFunction SWISH = x -> x * FloatMath.sigmoid(x);
    /** swish's derivative, {@code σ(x)·(1 + x·(1 - σ(x)))}, on one float. */
    static final FloatFunction SWISH_DERIVATIVE = x -> {
        float s = FloatMath.sigmoid(x);
        return s * (1f + x * (1f - s));
    };

    /** swish from its function and its derivative as scalar lambdas. */
    static Activation swish() {
        return Activation.of("swish", SWISH, SWISH_DERIVATIVE);
    }

    /** swish-β, {@code x·σ(β·x)}, with β learnable (one value, starting at 1). */
    static Activation swishBeta() {
        return Activation.parametric("swish-beta", Tensor.full(1f, 1), (x, beta) -> x.mul(x.mul(beta).sigmoid()));
    }

    /** Holds the FloatVector lambdas, so this example runs without the Vector API module too. */
    static final class VectorForms {
        /** swish with vector forms of the function and its derivative beside the scalar ones. */
        static Activation swish() {
            return Activation.of("swish", SWISH, SWISH_DERIVATIVE,
                    v -> v.mul(VectorMath.sigmoid(v)),
                    v -> derivative(v));   // a call, not the body: see VectorFunction on inlining
        }

        /** The derivative on vectors: VectorMath gives each lane FloatMath's bits, so both forms agree. */
        static FloatVector derivative(FloatVector v) {
            FloatVector s = VectorMath.sigmoid(v);
            return s.mul(s.neg().add(1f).mul(v).add(1f));
        }
    }

    @Override
    public Integer call() {
        Args.positive(spec, "--epochs", epochs);
        Args.nonNegative(spec, "--timing-seconds", timingSeconds);
        Result r = run();
        System.out.printf(Locale.ROOT, "%-44s %-8s %s%n", "swish declared as", "gradient", "forward + backward, [128, 512]");
        for (Form f : r.forms()) {
            System.out.printf(Locale.ROOT, "%-44s %-8s %s%n", f.name(), f.check().passed() ? "ok" : "FAILED",
                    Double.isNaN(f.micros()) ? "-" : String.format(Locale.ROOT, "%.0f µs", f.micros()));
        }
        r.forms().stream().filter(f -> !f.check().passed()).forEach(f -> System.out.println(f.check().summary()));
        System.out.printf(Locale.ROOT, "network with swish on the spiral: training accuracy %.1f%%%n", 100 * r.accuracy());
        return r.passed() ? 0 : 1;
    }

    Result run() {
        Variable probe = Variable.of(Tensor.randn(new Generator(seed), 4, 25)).requiresGrad();
        Variable batch = Variable.of(Tensor.randn(new Generator(seed + 2), 128, 512)).requiresGrad();
        List<String> names = new ArrayList<>(List.of("built-in SiLU (for comparison)", "composed: x.mul(x.sigmoid())",
                "function and derivative, scalar lambdas"));
        Activation lambdas = swish();
        List<Module> modules = new ArrayList<>(List.of(new SiLU(), composed(), lambdas));
        Activation fastest = lambdas;
        if (Backend.current().vectorized()) {
            fastest = VectorForms.swish();
            names.add("... with FloatVector forms beside them");
            modules.add(fastest);
        }
        names.add("learnable: swish-beta, x·σ(β·x)");
        modules.add(swishBeta());
        double[] micros = time(modules, batch);
        List<Form> forms = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            forms.add(new Form(names.get(i), check(modules.get(i), probe), micros[i]));
        }

        Dataset data = Spiral.spiral(100, 3, new Generator(seed));
        Generator g = new Generator(seed + 1);
        Sequential model = new Sequential(new Linear(2, 100, true, g), fastest, new Linear(100, 3, true, g));
        Trainer trainer = Trainer.builder().model(model).loss(new CrossEntropyLoss())
                .optimizer(new Adam(model.parameters(), 0.01f)).epochs(epochs).batchSize(32).seed(seed)
                .build();
        trainer.fit(data);
        Evaluation e = trainer.evaluate(data);
        return new Result(forms, e.accuracy());
    }

    /** Checks an activation's gradients (its parameters' too) in one call. */
    private static GradCheck.Report check(Module activation, Variable probe) {
        List<Variable> inputs = new ArrayList<>(List.of(probe));
        inputs.addAll(activation.parameters());
        return GradCheck.DEFAULT.check(in -> activation.forward(in[0]), inputs.toArray(new Variable[0]));
    }

    /**
     * Returns each activation's microseconds per forward + backward (NaN if timing is off): after a
     * warm-up of the given seconds each, five rounds that time every activation in turn for a fifth
     * of them, so drift on a shared machine reaches all alike; the median of the rounds.
     */
    private double[] time(List<Module> activations, Variable batch) {
        double[] result = new double[activations.size()];
        Arrays.fill(result, Double.NaN);
        if (timingSeconds <= 0) {
            return result;
        }
        long window = (long) (timingSeconds * 1e9 / 5);
        for (Module a : activations) {
            for (long end = System.nanoTime() + 5 * window; System.nanoTime() < end; ) {
                step(a, batch);
            }
        }
        double[][] rounds = new double[activations.size()][5];
        for (int r = 0; r < 5; r++) {
            for (int i = 0; i < activations.size(); i++) {
                long start = System.nanoTime();
                int calls = 0;
                while (System.nanoTime() - start < window || calls == 0) {
                    step(activations.get(i), batch);
                    calls++;
                }
                rounds[i][r] = (System.nanoTime() - start) / 1e3 / calls;
            }
        }
        for (int i = 0; i < result.length; i++) {
            Arrays.sort(rounds[i]);
            result[i] = rounds[i][2];
        }
        return result;
    }

    private static void step(Module activation, Variable batch) {
        batch.zeroGrad();
        activation.forward(batch).sum().backward();
    }
}
