package dev.nn.examples;

import dev.nn.core.Generator;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.Adam;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.data.Idx;
import dev.nn.optim.train.Trainer;
import dev.nn.spark.NnClassificationModel;
import dev.nn.spark.NnClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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

    private static Path file(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        return Files.exists(gz) ? gz : dir.resolve(name);
    }

    Result run() throws Exception {
        Dataset train = Idx.images(file(data, "train-images-idx3-ubyte"), file(data, "train-labels-idx1-ubyte"));
        Dataset test = Idx.images(file(data, "t10k-images-idx3-ubyte"), file(data, "t10k-labels-idx1-ubyte"));
        if (limit > 0 && limit < train.size()) {
            train = new Dataset(train.features().rows(0, limit), train.targets().rows(0, limit));
        }
        SparkSession spark = SparkSession.builder().appName("nn spark-mnist").master(
                System.getProperty("spark.master", master)).config("spark.ui.enabled", "false").getOrCreate();
        try {
            int partitions = spark.sparkContext().defaultParallelism();
            var trainFrame = spark.createDataFrame(rows(train), SCHEMA).repartition(partitions).cache();
            var testFrame = spark.createDataFrame(rows(test), SCHEMA);
            trainFrame.count();                                   // materialized before the clock starts
            long started = System.nanoTime();
            NnClassifier classifier = new NnClassifier().setModel(SparkMnist::mlp)
                    .setOptimizer(params -> new Adam(params, 1e-3f)).setEpochs(epochs).setBatchSize(batchSize)
                    .setLocalSteps(localSteps).setSeed(1);
            if (checkpoints != null) {
                classifier.setCheckpointDir(checkpoints.toString());
            }
            NnClassificationModel model = classifier.fit(trainFrame);
            double sparkSeconds = (System.nanoTime() - started) / 1e9;
            double sparkAccuracy = (double) model.transform(testFrame).filter("prediction = label").count()
                    / test.size();
            Sequential single = mlp();
            Trainer trainer = Trainer.builder().model(single).loss(new CrossEntropyLoss())
                    .optimizer(new Adam(single.parameters(), 1e-3f)).epochs(epochs).batchSize(batchSize).seed(1).build();
            started = System.nanoTime();
            trainer.fit(train);
            double trainerSeconds = (System.nanoTime() - started) / 1e9;
            double samples = (double) train.size() * epochs;
            return new Result(sparkAccuracy, samples / sparkSeconds, trainer.evaluate(test).accuracy(),
                    samples / trainerSeconds, trainFrame.rdd().getNumPartitions());
        } finally {
            spark.stop();
        }
    }

    private static final StructType SCHEMA = new StructType().add("features", new VectorUDT())
            .add("label", DataTypes.DoubleType);

    private static List<Row> rows(Dataset d) {
        int f = d.features().size() / d.size();
        float[] x = d.features().toArray();
        float[] y = d.targets().toArray();
        List<Row> rows = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            double[] v = new double[f];
            for (int k = 0; k < f; k++) {
                v[k] = x[i * f + k];
            }
            rows.add(RowFactory.create(Vectors.dense(v), (double) y[i]));
        }
        return rows;
    }
}
