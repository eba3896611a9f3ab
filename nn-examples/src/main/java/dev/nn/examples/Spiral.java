package dev.nn.examples;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Linear;
import dev.nn.layers.Module;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.Adam;
import dev.nn.optim.Adam.Options;
import dev.nn.optim.ParamGroup;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.train.History;
import dev.nn.optim.train.Trainer;
import dev.nn.optim.train.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * CS231n's spiral: three interleaved arms of points in the plane, which no straight line
 * separates. A linear softmax classifier and a two-layer network are trained side by side on the
 * same seeded data; their accuracies are printed and their decision regions drawn.
 */
@Command(name = "spiral", mixinStandardHelpOptions = true,
        description = "Train a linear classifier and a two-layer network on CS231n's spiral; draw both.")
final class Spiral implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private static final Logger LOG = LoggerFactory.getLogger(Spiral.class);
    static final float LIMIT = 1.1f;

    @Option(names = "--out", description = "Directory for the pictures (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("nn-output", "spiral");

    @Option(names = "--seed", description = "Seed of the data and the weights (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--points", description = "Points per class (default: ${DEFAULT-VALUE}).")
    int points = 100;

    @Option(names = "--epochs", description = "Epochs for each model (default: ${DEFAULT-VALUE}).")
    int epochs = 300;

    /** What a run reached, for the smoke test. */
    record Result(double linearAccuracy, double networkAccuracy, Path out) {
    }

    @Override
    public Integer call() throws Exception {
        Args.positive(spec, "--points", points);
        Args.positive(spec, "--epochs", epochs);
        Args.outputDirectory(spec, "--out", out);
        Result r = run();
        System.out.printf(Locale.ROOT, "linear softmax classifier: training accuracy %.1f%%%n", 100 * r.linearAccuracy());
        System.out.printf(Locale.ROOT, "two-layer network:         training accuracy %.1f%%%n", 100 * r.networkAccuracy());
        System.out.println("pictures written to " + r.out().toAbsolutePath());
        return 0;
    }

    Result run() throws Exception {
        Dataset data = spiral(points, 3, new Generator(seed));
        Generator g = new Generator(seed + 1);
        Module linear = new Sequential(new Linear(2, 3, true, g));
        Module network = new Sequential(new Linear(2, 100, true, g), new ReLU(), new Linear(100, 3, true, g));
        History linearHistory = train("linear", linear, data);
        History networkHistory = train("two-layer", network, data);
        double linearAccuracy = accuracy(linear, data);
        double networkAccuracy = accuracy(network, data);

        float[] x = data.features().toArray();
        float[] xs = new float[points * 3];
        float[] ys = new float[points * 3];
        int[] labels = new int[points * 3];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = x[2 * i];
            ys[i] = x[2 * i + 1];
            labels[i] = (int) data.targets().get(i);
        }
        Plots.decisionMap(out.resolve("spiral-linear.png"), String.format(Locale.ROOT,
                "linear softmax classifier: %.1f%% on the training data", 100 * linearAccuracy),
                regions(linear, 360), xs, ys, labels, -LIMIT, LIMIT);
        Plots.decisionMap(out.resolve("spiral-two-layer.png"), String.format(Locale.ROOT,
                "two-layer network (100 ReLU units): %.1f%%", 100 * networkAccuracy),
                regions(network, 360), xs, ys, labels, -LIMIT, LIMIT);
        Plots.curves(out.resolve("spiral-curves.png"), "spiral, training data",
                List.of(new Plots.Series("linear", linearHistory.metric("loss")),
                        new Plots.Series("two-layer", networkHistory.metric("loss"))),
                List.of(new Plots.Series("linear", linearHistory.metric("accuracy")),
                        new Plots.Series("two-layer", networkHistory.metric("accuracy"))));
        return new Result(linearAccuracy, networkAccuracy, out);
    }

    private History train(String name, Module model, Dataset data) {
        Adam adam = new Adam(Adam.Options.adam().lr(0.01f).weightDecay(1e-4f), ParamGroup.of(model.parameters()));
        int every = Math.max(1, epochs / 5);
        TrainingListener log = TrainingListener.onEpochEnd((epoch, m) -> {
            if ((epoch + 1) % every == 0) {
                LOG.info(String.format(Locale.ROOT, "%s: epoch %d/%d, loss %.4f, accuracy %.1f%%", name, epoch + 1,
                        epochs, m.get("loss"), 100 * m.get("accuracy")));
            }
        });
        return Trainer.builder().model(model).loss(new CrossEntropyLoss()).optimizer(adam).epochs(epochs)
                .batchSize(32).seed(seed).callbacks(log).build().fit(data);
    }

    /** Returns the fraction of samples the trained model classifies correctly. */
    private static double accuracy(Module model, Dataset data) {
        Tensor predicted = scores(model, data.features()).argmax(1, false);
        return predicted.eq(data.targets()).mean().item();
    }

    /** Returns the model's outputs in evaluation mode, without recording a graph. */
    private static Tensor scores(Module model, Tensor x) {
        model.eval();
        try (var scope = Autograd.noGrad()) {
            return model.forward(Variable.of(x)).value();
        }
    }

    /** Returns the predicted class of every pixel of a {@code size}² grid over [-LIMIT, LIMIT]². */
    private static int[][] regions(Module model, int size) {
        float[] grid = new float[size * size * 2];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                grid[2 * (y * size + x)] = -LIMIT + 2 * LIMIT * x / (size - 1);
                grid[2 * (y * size + x) + 1] = LIMIT - 2 * LIMIT * y / (size - 1);
            }
        }
        Tensor scores = scores(model, Tensor.of(grid, size * size, 2));
        Tensor classes = scores.argmax(1, false);
        int[][] out = new int[size][size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                out[y][x] = (int) classes.get(y * size + x);
            }
        }
        return out;
    }

    /**
     * Returns CS231n's spiral: for class k, n points at radius r from 0 to 1 and angle
     * {@code 4k + 4r + 0.2·noise}, at {@code (r·sin t, r·cos t)}.
     */
    static Dataset spiral(int n, int classes, Generator g) {
        float[] x = new float[n * classes * 2];
        float[] y = new float[n * classes];
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < n; i++) {
                int j = k * n + i;
                float r = n == 1 ? 0 : (float) i / (n - 1);
                float t = 4 * k + 4 * r + 0.2f * g.nextGaussian();
                x[2 * j] = r * (float) Math.sin(t);
                x[2 * j + 1] = r * (float) Math.cos(t);
                y[j] = k;
            }
        }
        return new Dataset(Tensor.of(x, n * classes, 2), Tensor.of(y, n * classes));
    }
}
