package dev.nn.examples;

import dev.nn.autograd.GradCheck;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Activation;
import dev.nn.layers.Linear;
import dev.nn.layers.Sequential;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.Adam;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.train.Evaluation;
import dev.nn.optim.train.Trainer;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A user-defined activation in a few lines (swish, from its function and derivative),
 * gradient-checked in one call, then used to train a network on the spiral.
 */
@Command(name = "custom-activation", mixinStandardHelpOptions = true,
        description = "Declare an activation from its function and derivative, check its gradient, train with it.")
final class CustomActivation implements Callable<Integer> {

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 150;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    /** The gradient check's report and the trained network's accuracy. */
    record Result(GradCheck.Report check, double accuracy) {
    }

    /** swish(x) = x·σ(x), declared from its function and its derivative σ(x)·(1 + x·(1 - σ(x))). */
    static Activation swish() {
        return Activation.of("swish",
                x -> x / (1f + (float) Math.exp(-x)),
                x -> {
                    float s = 1f / (1f + (float) Math.exp(-x));
                    return s * (1f + x * (1f - s));
                });
    }

    @Override
    public Integer call() {
        Result r = run();
        System.out.println(r.check().summary());
        System.out.printf(Locale.ROOT, "network with swish on the spiral: training accuracy %.1f%%%n", 100 * r.accuracy());
        return r.check().passed() ? 0 : 1;
    }

    Result run() {
        Activation swish = swish();
        Variable probe = Variable.of(Tensor.randn(new Generator(seed), 4, 25)).requiresGrad();
        GradCheck.Report report = GradCheck.DEFAULT.check(in -> swish.forward(in[0]), probe);

        Dataset data = Spiral.spiral(100, 3, new Generator(seed));
        Generator g = new Generator(seed + 1);
        Sequential model = new Sequential(new Linear(2, 100, true, g), swish, new Linear(100, 3, true, g));
        Trainer trainer = Trainer.builder().model(model).loss(new CrossEntropyLoss())
                .optimizer(new Adam(model.parameters(), 0.01f)).epochs(epochs).batchSize(32).seed(seed).progress(false)
                .build();
        trainer.fit(data);
        Evaluation e = trainer.evaluate(data);
        return new Result(report, e.accuracy());
    }
}
