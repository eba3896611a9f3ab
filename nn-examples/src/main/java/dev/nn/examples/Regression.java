package dev.nn.examples;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Linear;
import dev.nn.layers.Sequential;
import dev.nn.layers.Tanh;
import dev.nn.layers.loss.MSELoss;
import dev.nn.optim.Adam;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.train.History;
import dev.nn.optim.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Fits a noisy sine with a small tanh MLP and draws the data, the fit and the true curve. */
@Command(name = "regression", mixinStandardHelpOptions = true,
        description = "Fit a noisy sine with an MLP; draw the fit and the loss curve as PNG.")
final class Regression implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", description = "Directory for the pictures (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("nn-output", "regression");

    @Option(names = "--seed", description = "Seed of the data and the weights (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 300;

    /** The mean squared distance of the fit from the noiseless sine, on a grid over the data's range. */
    record Result(double errorToSine, Path out) {
    }

    @Override
    public Integer call() throws Exception {
        Args.positive(spec, "--epochs", epochs);
        Args.outputDirectory(spec, "--out", out);
        Result r = run();
        System.out.printf(Locale.ROOT, "mean squared distance of the fit from sin(x): %.5f (the noise variance is 0.01)%n",
                r.errorToSine());
        System.out.println("pictures written to " + r.out().toAbsolutePath());
        return 0;
    }

    Result run() throws Exception {
        Generator g = new Generator(seed);
        int n = 200;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (-Math.PI + 2 * Math.PI * g.nextFloat());
            y[i] = (float) Math.sin(x[i]) + 0.1f * g.nextGaussian();
        }
        Sequential model = new Sequential(new Linear(1, 64, true, g), new Tanh(), new Linear(64, 64, true, g), new Tanh(),
                new Linear(64, 1, true, g));
        History h = Trainer.builder().model(model).loss(new MSELoss()).optimizer(new Adam(model.parameters(), 0.01f))
                .epochs(epochs).batchSize(32).seed(seed).build()
                .fit(new Dataset(Tensor.of(x, n, 1), Tensor.of(y, n, 1)));
        int m = 400;
        float[] grid = new float[m];
        for (int i = 0; i < m; i++) {
            grid[i] = (float) (-Math.PI + 2 * Math.PI * i / (m - 1));
        }
        float[] fit;
        model.eval();
        try (var scope = Autograd.noGrad()) {
            fit = model.forward(Variable.of(grid, m, 1)).value().toArray();
        }
        double error = 0;
        float[] truth = new float[m];
        for (int i = 0; i < m; i++) {
            truth[i] = (float) Math.sin(grid[i]);
            error += (fit[i] - truth[i]) * (fit[i] - truth[i]) / m;
        }
        Plots.fit(out.resolve("regression-fit.png"), String.format(Locale.ROOT,
                "MLP 1-64-64-1 (tanh) on a noisy sine: MSE to sin(x) %.4f", error), x, y, grid, fit,
                truth);
        Plots.curves(out.resolve("regression-loss.png"), "noisy sine",
                List.of(new Plots.Series("training loss (MSE)", h.metric("loss"))), List.of());
        return new Result(error, out);
    }
}
