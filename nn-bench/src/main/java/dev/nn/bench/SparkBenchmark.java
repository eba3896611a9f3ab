package dev.nn.bench;

import dev.nn.core.Backend;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Linear;
import dev.nn.layers.Module;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.Adam;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.train.Trainer;
import dev.nn.spark.DataParallel;
import dev.nn.spark.Example;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training on Spark beside the plain {@link Trainer}, on the same random MNIST-sized data
 * ({@value #SAMPLES} samples of 784 features, 10 classes) and model (784-256-10 with ReLU,
 * {@value #PARAMETERS} parameters, Adam lr 1e-3, global batch {@value #BATCH}). Each invocation is
 * one epoch, {@value #STEPS} optimizer steps; the score is time per sample, so samples/s is its
 * inverse and a round's or a step's time is the score times the samples it covers.
 *
 * <p>{@code mode}: {@code trainer} (one JVM, {@code slots} nn threads), {@code sync} (a Spark
 * round per step on {@code local[slots]}) or {@code local8} (8 local steps per round). The Spark
 * time includes {@code DataParallel}'s one checking job per fit and the driver's optimizer steps;
 * Spark's tasks compute on one nn thread each ({@code spark.task.cpus}), as on a cluster's
 * executors. Spark is not in the benchmark jar: the JVM needs it on the class path
 * ({@code compare_spark.py} says how).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class SparkBenchmark {

    static final int SAMPLES = 32_768;
    static final int BATCH = 1024;
    static final int STEPS = SAMPLES / BATCH;
    static final int PARAMETERS = 784 * 256 + 256 + 256 * 10 + 10;

    @Param({"trainer", "sync", "local8"})
    public String mode;

    @Param({"1", "2"})
    public int slots;

    private Dataset data;
    private Backend backend;
    private Trainer trainer;
    private JavaSparkContext sc;
    private JavaRDD<Example> rdd;
    private DataParallel spark;

    static Module mlp() {
        Generator g = new Generator(1);
        return new Sequential(new Linear(784, 256, true, g), new ReLU(), new Linear(256, 10, true, g));
    }

    /** Sample i of the data: 784 uniform features and a class, from its own seed, so executors make their rows. */
    static Example example(long i) {
        Generator g = new Generator(1_000_003L * i + 42);
        float[] features = new float[784];
        for (int k = 0; k < features.length; k++) {
            features[k] = g.nextFloat();
        }
        return new Example(i, features, new float[] {g.nextInt(10)});
    }

    @Setup
    public void setup() {
        if (mode.equals("trainer")) {
            float[] x = new float[SAMPLES * 784];
            float[] labels = new float[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                Example e = example(i);
                System.arraycopy(e.features(), 0, x, i * 784, 784);
                labels[i] = e.target()[0];
            }
            data = new Dataset(Tensor.of(x, SAMPLES, 784), Tensor.of(labels, SAMPLES));
            backend = Backend.builder().threads(slots).build();
            Module model = mlp();
            trainer = Trainer.builder().model(model).loss(new CrossEntropyLoss())
                    .optimizer(new Adam(model.parameters(), 1e-3f)).epochs(1).batchSize(BATCH).seed(1).build();
            return;
        }
        sc = new JavaSparkContext(new SparkConf().setMaster("local[" + slots + "]").setAppName("nn SparkBenchmark")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        sc.setLogLevel("WARN");
        // Rows made on the executors from a range: an RDD from parallelize(rows) would carry its
        // rows inside every task of every round (50 MB here).
        rdd = sc.sc().range(0, SAMPLES, 1, slots).toJavaRDD().map(i -> example((Long) i)).cache();
        rdd.count();
        spark = DataParallel.builder().model(SparkBenchmark::mlp).loss(CrossEntropyLoss::new)
                .optimizer(params -> new Adam(params, 1e-3f)).epochs(1).batchSize(BATCH)
                .localSteps(mode.equals("local8") ? 8 : 1).seed(1).build();
    }

    @TearDown
    public void tearDown() {
        if (backend != null) {
            backend.close();
        }
        if (sc != null) {
            sc.stop();
        }
    }

    /** One epoch; the score is per sample. Returns the epoch's loss. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double epoch() {
        if (trainer != null) {
            try (Backend.Scope s = backend.use()) {
                return trainer.fit(data).metric("loss")[0];
            }
        }
        return spark.fit(rdd).epochLoss()[0];
    }
}
