package dev.nn.bench;

import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.Adam;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.train.History;
import dev.nn.optim.train.Trainer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training steps of the MNIST-shaped MLP (784-512-256-10, ReLU, cross-entropy, Adam lr 1e-3,
 * batch 128) through {@link Trainer#fit}: each invocation is one epoch of {@value #BATCHES}
 * batches over random MNIST-sized data, so the score is time per step including the data loader,
 * the optimizer and the bookkeeping. {@code compare_mlp.py} runs PyTorch on the same network in
 * the same invocation. Threads come from {@code -Dnn.threads}, given with {@code -jvmArgsAppend}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// A fixed, pre-touched heap, as LinearBenchmark: growing-heap page faults are slow on these VMs.
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class MlpTrainingBenchmark {

    static final int BATCH = 128;
    static final int BATCHES = 20;

    private Trainer trainer;
    private Dataset data;

    @Setup
    public void setup() {
        Generator g = new Generator(42);
        Sequential model = new Sequential(new Linear(784, 512, true, g), new ReLU(), new Linear(512, 256, true, g),
                new ReLU(), new Linear(256, 10, true, g));
        float[] labels = new float[BATCH * BATCHES];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = g.nextInt(10);
        }
        data = new Dataset(Tensor.rand(g, BATCH * BATCHES, 784), Tensor.of(labels, labels.length));
        trainer = Trainer.builder().model(model).loss(new CrossEntropyLoss())
                .optimizer(new Adam(model.parameters(), 1e-3f)).epochs(1).batchSize(BATCH).build();
    }

    /** One epoch of {@value #BATCHES} steps; the score is per step. Returns the epoch's loss. */
    @Benchmark
    @OperationsPerInvocation(BATCHES)
    public double trainStep() {
        History h = trainer.fit(data);
        return h.metric("loss")[0];
    }
}
