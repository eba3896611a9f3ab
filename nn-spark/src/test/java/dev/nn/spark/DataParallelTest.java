package dev.nn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.core.Backend;
import dev.nn.core.Generator;
import dev.nn.core.Tensor;
import dev.nn.layers.BatchNorm1d;
import dev.nn.layers.Linear;
import dev.nn.layers.Module;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import dev.nn.layers.Tanh;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.layers.loss.Loss;
import dev.nn.optim.Adam;
import dev.nn.optim.Optimizer;
import dev.nn.optim.ParamGroup;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data-parallel training on local[2]: equal to the Trainer, deterministic, retried tasks change nothing. */
class DataParallelTest {

    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        // Two threads, and up to 4 attempts per task, so an injected failure is retried.
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,4]").setAppName("nn-spark tests")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        sc.setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Three Gaussian blobs in the plane, labelled 0, 1, 2. */
    static Dataset blobs(int n, long seed) {
        Generator g = new Generator(seed);
        float[] x = new float[n * 2];
        float[] y = new float[n];
        float[][] centers = {{-2, 0}, {2, 0}, {0, 2.5f}};
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            x[2 * i] = centers[c][0] + 0.6f * g.nextGaussian();
            x[2 * i + 1] = centers[c][1] + 0.6f * g.nextGaussian();
            y[i] = c;
        }
        return new Dataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    static JavaRDD<Example> rdd(Dataset d, int partitions) {
        List<Example> rows = new ArrayList<>();
        float[] x = d.features().toArray();
        float[] y = d.targets().toArray();
        int f = d.features().shape().dim(1);
        for (int i = 0; i < d.size(); i++) {
            float[] features = new float[f];
            System.arraycopy(x, i * f, features, 0, f);
            rows.add(new Example(i, features, new float[] {y[i]}));
        }
        return sc.parallelize(rows, partitions);
    }

    static Sequential mlp() {
        return mlp(11);
    }

    static Sequential mlp(long initSeed) {
        Generator g = new Generator(initSeed);
        return new Sequential(new Linear(2, 16, true, g), new Tanh(), new Linear(16, 3, true, g));
    }

    static DataParallel.Builder trainer(int epochs) {
        return DataParallel.builder().model(DataParallelTest::mlp).loss(CrossEntropyLoss::new)
                .optimizer(params -> new Adam(params, 0.05f)).epochs(epochs).batchSize(32).seed(7);
    }

    static float maxDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        float worst = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k).toArray();
            float[] y = b.get(k).toArray();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    @Test
    void onePartition_bitIdenticalToTheTrainer_andSeveralWithinRounding() {
        Dataset data = blobs(100, 1);                 // 4 batches of 32, 32, 32, 4
        Sequential single = mlp();
        Trainer.builder().model(single).loss(new CrossEntropyLoss()).optimizer(new Adam(single.parameters(), 0.05f))
                .epochs(3).batchSize(32).seed(7).build().fit(data);
        DataParallel.Result one = trainer(3).build().fit(rdd(data, 1));
        assertEquals(single.stateDict(), one.model().stateDict());
        for (int partitions : new int[] {2, 3}) {
            DataParallel.Result several = trainer(3).build().fit(rdd(data, partitions));
            // The partitions' gradients are added in another order than one batch's rows: rounding
            // of ~1e-7 per step, which 12 Adam steps carry into the weights.
            float worst = maxDifference(single.stateDict(), several.model().stateDict());
            assertTrue(worst < 1e-4f, partitions + " partitions: max difference " + worst);
        }
    }

    @Test
    void sameSeedAndPartitioning_sameBitsEveryRun() {
        JavaRDD<Example> data = rdd(blobs(120, 2), 2);
        Map<String, Tensor> first = trainer(2).build().fit(data).model().stateDict();
        assertEquals(first, trainer(2).build().fit(data).model().stateDict());
    }

    static final AtomicInteger LOSSES_MADE = new AtomicInteger();

    /** A loss factory that fails in the first attempt of one task, as a lost executor would. */
    static Loss failingOnce() {
        TaskContext t = TaskContext.get();
        if (t != null && t.attemptNumber() == 0 && t.partitionId() == 1 && LOSSES_MADE.incrementAndGet() == 5) {
            throw new IllegalStateException("injected failure");
        }
        return new CrossEntropyLoss();
    }

    @Test
    void aFailedTask_isRetried_andGivesTheSameBits() {
        JavaRDD<Example> data = rdd(blobs(100, 3), 2);
        Map<String, Tensor> clean = trainer(2).build().fit(data).model().stateDict();
        LOSSES_MADE.set(0);
        Map<String, Tensor> retried = trainer(2).loss(DataParallelTest::failingOnce).build().fit(data).model()
                .stateDict();
        assertTrue(LOSSES_MADE.get() >= 5, "the failure was injected");
        assertEquals(clean, retried);
    }

    @Test
    void localSteps_learn_andAreDeterministic() {
        JavaRDD<Example> data = rdd(blobs(300, 4), 2);
        DataParallel.Result r = trainer(5).localSteps(4).build().fit(data);
        assertTrue(r.epochLoss()[4] < 0.3 && r.epochLoss()[4] < r.epochLoss()[0], java.util.Arrays.toString(r.epochLoss()));
        assertEquals(r.model().stateDict(), trainer(5).localSteps(4).build().fit(data).model().stateDict());
    }

    static final Set<String> TASK_BACKENDS = ConcurrentHashMap.newKeySet();

    /** The model, noting which backend a task builds it on. */
    static Sequential mlpNotingTheBackend() {
        if (TaskContext.get() != null) {
            Backend b = Backend.current();
            TASK_BACKENDS.add(b.threads() + (b == Backend.defaultBackend() ? " threads, the default"
                    : " threads, own"));
        }
        return mlp();
    }

    @Test
    void tasksCompute_onAsManyNnThreadsAsSparkGivesThem() {
        // The default backend spans the machine's cores (or -Dnn.threads); a task gets spark.task.cpus, 1 here.
        TASK_BACKENDS.clear();
        JavaRDD<Example> data = rdd(blobs(64, 8), 2);
        trainer(1).model(DataParallelTest::mlpNotingTheBackend).build().fit(data);
        trainer(1).localSteps(2).model(DataParallelTest::mlpNotingTheBackend).build().fit(data);
        assertEquals(Set.of("1 threads, own"), TASK_BACKENDS);
    }

    @Test
    void badInput_refusedBeforeTraining() {
        List<Example> rows = List.of(new Example(0, new float[] {1, 2}, new float[] {0}),
                new Example(2, new float[] {3, 4}, new float[] {1}));
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> trainer(1).build().fit(sc.parallelize(rows, 2)));
        assertEquals("DataParallel: example indices must be 0 to n - 1, each once (n = 2), found 0 to 2 (number the"
                + " rows with zipWithIndex)", gap.getMessage());
        List<Example> ragged = List.of(new Example(0, new float[] {1, 2}, new float[] {0}),
                new Example(1, new float[] {3}, new float[] {1}));
        IllegalArgumentException features = assertThrows(IllegalArgumentException.class,
                () -> trainer(1).build().fit(sc.parallelize(ragged, 2)));
        assertEquals("DataParallel: every example needs the same number of features, found 1 to 2 (-1: none)",
                features.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> trainer(1).build().fit(sc.parallelize(new ArrayList<Example>(), 2)));
        assertEquals("DataParallel: the training data is empty", empty.getMessage());
        Factory<Module> withNorm = () -> new Sequential(new Linear(2, 4), new BatchNorm1d(4), new ReLU(),
                new Linear(4, 3));
        IllegalArgumentException norm = assertThrows(IllegalArgumentException.class,
                () -> trainer(1).model(withNorm).build().fit(rdd(blobs(30, 5), 2)));
        assertEquals("DataParallel: 1 is BatchNorm1d, whose batch statistics would be each partition's; use"
                + " LayerNorm", norm.getMessage());
    }

    @TempDir
    Path dir;

    static final AtomicInteger STEPS_LEFT = new AtomicInteger();

    /** Adam on the driver that fails once STEPS_LEFT runs out, as a driver that dies would. */
    record Interrupting(Optimizer inner) implements Optimizer {
        @Override
        public void step() {
            if (STEPS_LEFT.decrementAndGet() < 0) {
                throw new IllegalStateException("driver stopped");
            }
            inner.step();
        }

        @Override
        public void zeroGrad() {
            inner.zeroGrad();
        }

        @Override
        public List<ParamGroup> groups() {
            return inner.groups();
        }

        @Override
        public Map<String, Tensor> state() {
            return inner.state();
        }

        @Override
        public void loadState(Map<String, Tensor> state) {
            inner.loadState(state);
        }
    }

    @Test
    void stoppedMidEpoch_resumesFromItsCheckpoint_toTheBitsOfAnUninterruptedRun() throws IOException {
        JavaRDD<Example> data = rdd(blobs(100, 6), 2);          // 4 global batches per epoch
        DataParallel.Result straight = trainer(3).build().fit(data);
        Path cp = dir.resolve("sync");
        STEPS_LEFT.set(6);
        DataParallel stopping = trainer(3).optimizer(params -> new Interrupting(new Adam(params, 0.05f)))
                .checkpoints(cp, 3).build();
        IllegalStateException stop = assertThrows(IllegalStateException.class, () -> stopping.fit(data));
        assertEquals("driver stopped", stop.getMessage());
        // Checkpoints after steps 3 (mid-epoch), 4 (the epoch's end) and 6 (epoch 2, batch 3 next).
        assertEquals("step-000000000006", Files.readString(cp.resolve("latest")));
        String json = Files.readString(cp.resolve("step-000000000006").resolve("trainer.json"));
        assertTrue(json.startsWith("{\"writer\":\"DataParallel\",\"epoch\":1,\"batch\":2,\"step\":6,"), json);
        // Other initial weights: only the checkpoint's can give the uninterrupted run's bits.
        DataParallel.Result resumed = trainer(3).model(() -> mlp(12)).checkpoints(cp, 3).build().fit(data);
        assertEquals(straight.model().stateDict(), resumed.model().stateDict());
        assertEquals(straight.optimizer().state(), resumed.optimizer().state());
        assertArrayEquals(straight.epochLoss(), resumed.epochLoss());
        assertEquals("step-000000000012", Files.readString(cp.resolve("latest")));

        // Local steps, rounds of 2: the executors step (4 steps a round, one per partition and
        // batch), so the fourth round's job fails on every attempt, after the third round's checkpoint.
        DataParallel.Result local = trainer(3).localSteps(2).build().fit(data);
        Path lcp = dir.resolve("local");
        STEPS_LEFT.set(13);
        assertThrows(SparkException.class, () -> trainer(3).localSteps(2).checkpoints(lcp, 2)
                .optimizer(params -> new Interrupting(new Adam(params, 0.05f))).build().fit(data));
        assertEquals("step-000000000006", Files.readString(lcp.resolve("latest")));
        DataParallel.Result localResumed = trainer(3).localSteps(2).model(() -> mlp(12)).checkpoints(lcp, 2).build()
                .fit(data);
        assertEquals(local.model().stateDict(), localResumed.model().stateDict());
        assertArrayEquals(local.epochLoss(), localResumed.epochLoss());
    }

    @Test
    void checkpointOfAnotherRun_refusedWithTheReason_beforeAnyJob() throws IOException {
        JavaRDD<Example> data = rdd(blobs(100, 7), 2);
        Path cp = dir.resolve("run");
        trainer(1).checkpoints(cp, 0).build().fit(data);
        String written = Files.readString(cp.resolve("latest"));
        IllegalStateException batch = assertThrows(IllegalStateException.class,
                () -> trainer(2).batchSize(16).checkpoints(cp, 0).build().fit(data));
        assertEquals("DataParallel: checkpoint " + cp.resolve(written) + " was written with seed 7, 100 examples,"
                + " batch size 32 and 1 local steps; this run has seed 7, 100 examples, batch size 16 and 1 local"
                + " steps (the same data and settings are needed to resume)", batch.getMessage());
        assertEquals(written, Files.readString(cp.resolve("latest")), "nothing was written");

        Path trainerRun = dir.resolve("trainer");
        Sequential single = mlp();
        Trainer.builder().model(single).loss(new CrossEntropyLoss()).optimizer(new Adam(single.parameters(), 0.05f))
                .epochs(1).batchSize(32).seed(7).checkpoints(trainerRun, 0).build().fit(blobs(100, 7));
        IllegalStateException foreign = assertThrows(IllegalStateException.class,
                () -> trainer(2).checkpoints(trainerRun, 0).build().fit(data));
        assertEquals("DataParallel: checkpoint " + trainerRun.resolve(Files.readString(trainerRun.resolve("latest")))
                + " was written by Trainer, not by DataParallel (use another directory)", foreign.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trainer(1).checkpoints(cp, -1));
    }
}
