package dev.nn.examples;

import dev.nn.core.Generator;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Trains the MNIST MLP on Apache Spark from a DataFrame, with nn-spark's NnClassifier, and beside it
 * with the plain Trainer on one JVM, printing accuracy and samples per second of each. Spark is not
 * in the examples' jar: run it with {@code spark-submit}, or from the build (where Spark is on the
 * test class path). The master is {@code --master}, unless spark-submit set one.
 */
@Command(name = "spark-mnist", mixinStandardHelpOptions = true,
        description = "Train the MNIST MLP on Spark (NnClassifier over a DataFrame) and with the plain Trainer;"
                + " compare accuracy and samples/s. Needs Spark on the class path (spark-submit).")
final class SparkMnist implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Directory holding the four MNIST IDX files, raw or .gz.")
    Path data;

    @Option(names = "--master", description = "Spark master when spark-submit sets none (default: ${DEFAULT-VALUE}).")
    String master = "local[2]";

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 2;

    @Option(names = "--batch-size", description = "Global batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 1024;

    @Option(names = "--local-steps", description = "Optimizer steps per partition between averagings; 1 is"
            + " synchronous (default: ${DEFAULT-VALUE}).")
    int localSteps = 1;

    @Option(names = "--limit", description = "Train on the first this many training images (default: all).")
    int limit = 0;

    @Option(names = "--checkpoints", description = "Directory on the driver for checkpoints after every epoch; a"
            + " run that finds one there resumes from it (default: none).")
    Path checkpoints;

    /** Test accuracy and samples/s of the Spark run and of the plain Trainer. */
    record Result(double sparkAccuracy, double sparkSamplesPerSecond, double trainerAccuracy,
                  double trainerSamplesPerSecond, int partitions) {
    }

    @Override
    public Integer call() throws Exception {
        Args.positive(spec, "--epochs", epochs);
        Args.positive(spec, "--batch-size", batchSize);
        Args.positive(spec, "--local-steps", localSteps);
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
        }
        if (!Files.isDirectory(data)) {
            throw new ParameterException(spec.commandLine(), "--data " + data + " is not a directory");
        }
        try {
            Class.forName("org.apache.spark.sql.SparkSession");
        } catch (ClassNotFoundException e) {
            System.err.println("spark-mnist: Spark is not on the class path; run it with spark-submit (see README)");
            return 2;
        }
        Result r = run();
        System.out.printf(Locale.ROOT, "Spark (%d partitions): test accuracy %.2f%%, %.0f samples/s%n", r.partitions(),
                100 * r.sparkAccuracy(), r.sparkSamplesPerSecond());
        System.out.printf(Locale.ROOT, "Trainer (this JVM):   test accuracy %.2f%%, %.0f samples/s%n",
                100 * r.trainerAccuracy(), r.trainerSamplesPerSecond());
        return 0;
    }

    static Sequential mlp() {
        Generator g = new Generator(1);
        return new Sequential(new Linear(784, 256, true, g), new ReLU(), new Linear(256, 10, true, g));
    }

    static Path file(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        return Files.exists(gz) ? gz : dir.resolve(name);
    }

    /** Trains on Spark and beside it; Spark's types stay in {@link SparkMnistRun}, so this class loads without. */
    Result run() throws Exception {
        return SparkMnistRun.run(this);
    }
}
