package dev.nn.spark;

import dev.nn.autograd.Parameter;
import dev.nn.core.Tensor;
import dev.nn.layers.BatchNorm1d;
import dev.nn.layers.Module;
import dev.nn.layers.loss.Loss;
import dev.nn.layers.io.Json;
import dev.nn.optim.Optimizer;
import dev.nn.optim.train.Checkpoints;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an nn model on a Spark RDD of {@link Example}s, data-parallel: the driver holds the model
 * and the optimizer, and every round each executor computes on its partition's share of the
 * round's samples from weights the driver broadcasts.
 *
 * <pre>{@code
 * DataParallel.Result r = DataParallel.builder()
 *         .model(() -> new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10)))
 *         .loss(CrossEntropyLoss::new)
 *         .optimizer(params -> new Adam(params, 1e-3f))
 *         .epochs(10).batchSize(1024).seed(42)
 *         .build().fit(examples);
 * }</pre>
 *
 * <p>Two modes. <b>Synchronous</b> ({@code localSteps(1)}, the default): for every global batch
 * (the samples a {@code DataLoader} with this seed and batch size would put together), each
 * partition computes the gradient of its rows of the batch, the driver sums them in partition
 * order and takes one optimizer step: the same trajectory as the single-machine {@code Trainer}
 * with batch size B, bit for bit on one partition and to float rounding on several (the
 * partitions' gradients are added in another order than one machine adds the rows). A Spark round
 * per step costs tens of milliseconds; it pays for batches whose computation is larger than that.
 * <b>Local steps</b> ({@code localSteps(K)}, K > 1): each partition takes K optimizer steps on its
 * rows of K consecutive global batches, starting from the broadcast weights and optimizer state,
 * and the driver averages weights and optimizer state over the partitions (by rows processed):
 * K times fewer rounds, a different trajectory (local SGD).
 *
 * <p>Deterministic: results depend on the seed, the data and its partitioning, never on task
 * timing; executors compute pure functions of what is broadcast, so a retried task gives the
 * same result. Dropout draws are seeded by (seed, step, partition). BatchNorm is refused: its
 * batch statistics would be each partition's.
 *
 * <p>The data should come from storage or a DataFrame (as {@link NnClassifier} makes it), or be
 * made on the executors: an RDD from {@code parallelize(list)} carries its rows inside every task,
 * so each round would ship the whole data set again (Spark warns of "a task of very large size").
 *
 * <p>Checkpoints ({@link Builder#checkpoints}) are the {@code Trainer}'s format
 * ({@link Checkpoints}), written by the driver to a directory on its file system: the weights, the
 * optimizer's state and the position (epoch, batch, step, the epoch's loss so far). A {@code fit}
 * that finds one resumes from it, and with the same data, partitioning and settings it ends with
 * the bits of a run that was never interrupted.
 */
public final class DataParallel {

    private static final Logger LOG = LoggerFactory.getLogger(DataParallel.class);

    private final Factory<Module> model;
    private final Factory<Loss> loss;
    private final OptimizerFactory optimizer;
    private final int epochs;
    private final int batchSize;
    private final int localSteps;
    private final long seed;
    private final int[] targetDims;
    private final Path checkpointDir;
    private final int checkpointEvery;

    private DataParallel(Builder b) {
        this.model = Objects.requireNonNull(b.model, "DataParallel: model is required");
        this.loss = Objects.requireNonNull(b.loss, "DataParallel: loss is required");
        this.optimizer = Objects.requireNonNull(b.optimizer, "DataParallel: optimizer is required");
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.localSteps = b.localSteps;
        this.seed = b.seed;
        this.targetDims = b.targetDims;
        this.checkpointDir = b.checkpointDir;
        this.checkpointEvery = b.checkpointEvery;
    }

    /** Returns a builder; model, loss and optimizer are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What training produced: the model (on the driver), its optimizer, and each epoch's mean loss
     * over its samples.
     */
    public record Result(Module model, Optimizer optimizer, double[] epochLoss) {
    }

    /**
     * Trains on {@code data}, whose indices must be 0 to n - 1, each once (as
     * {@code zipWithIndex} gives them). Checks the data in one job first: the error names the first
     * problem, before any training. With a checkpoint directory that holds a checkpoint, training
     * resumes from it.
     *
     * @throws IllegalArgumentException for empty data, indices that are not 0..n-1, rows whose
     *     feature or target lengths differ, or a model with BatchNorm1d
     * @throws IllegalStateException for a checkpoint written by another loop or with other data,
     *     batch size, local steps or seed
     * @throws UncheckedIOException if a checkpoint cannot be read or written
     */
    public Result fit(JavaRDD<Example> data) {
        Shape shape = check(data);
        Module driver = model.create();
        refuseBatchNorm(driver, "");
        Optimizer opt = optimizer.create(driver.parameters());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());
        Tasks.Job job = new Tasks.Job(model, loss, optimizer, shape.n, seed, batchSize, targetDims);
        int batches = (int) ((shape.n + batchSize - 1) / batchSize);
        int partitions = data.getNumPartitions();
        double[] epochLoss = new double[epochs];
        Position start = checkpointDir == null ? new Position(0, 0, 0, 0, new double[0])
                : resume(driver, opt, shape.n, batches, partitions);
        System.arraycopy(start.epochLoss, 0, epochLoss, 0, Math.min(epochs, start.epochLoss.length));
        long step = start.step;
        for (int epoch = start.epoch; epoch < epochs; epoch++) {
            long started = System.nanoTime();
            boolean resumed = epoch == start.epoch;
            double lossSum = resumed ? start.lossSum : 0;
            for (int first = resumed ? start.batch : 0; first < batches; first += localSteps) {
                int count = Math.min(localSteps, batches - first);
                lossSum += localSteps == 1
                        ? synchronousStep(sc, data, job, driver, opt, epoch, first, step)
                        : localRound(sc, data, job, driver, opt, epoch, first, count, step);
                step += count;
                boolean due = checkpointEvery > 0 && step / checkpointEvery != (step - count) / checkpointEvery;
                if (checkpointDir != null && due && first + count < batches) {
                    save(driver, opt, new Position(epoch, first + count, step, lossSum,
                            Arrays.copyOf(epochLoss, epoch)), shape.n, batches, partitions);
                }
            }
            epochLoss[epoch] = lossSum / shape.n;
            if (checkpointDir != null) {
                save(driver, opt, new Position(epoch + 1, 0, step, 0, Arrays.copyOf(epochLoss, epoch + 1)), shape.n,
                        batches, partitions);
            }
            LOG.info("nn-spark: epoch {}/{}: loss {}, {} rounds on {} partitions, {} s", epoch + 1, epochs,
                    String.format(Locale.ROOT, "%.4g", epochLoss[epoch]), (batches + localSteps - 1) / localSteps,
                    partitions, String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
        }
        return new Result(driver, opt, epochLoss);
    }

    /**
     * Where training stands: the next epoch and global batch in it, the optimizer steps taken, the
     * loss summed over this epoch's samples so far, and the mean losses of the epochs done.
     */
    private record Position(int epoch, int batch, long step, double lossSum, double[] epochLoss) {
    }

    private void save(Module driver, Optimizer opt, Position at, long n, int batches, int partitions) {
        StringBuilder json = new StringBuilder("{\"writer\":\"DataParallel\",\"epoch\":").append(at.epoch)
                .append(",\"batch\":").append(at.batch).append(",\"step\":").append(at.step)
                .append(",\"seed\":").append(seed).append(",\"examples\":").append(n)
                .append(",\"batchSize\":").append(batchSize).append(",\"batchesPerEpoch\":").append(batches)
                .append(",\"localSteps\":").append(localSteps).append(",\"partitions\":").append(partitions)
                .append(",\"lossSum\":").append(Json.quote(Double.toString(at.lossSum))).append(",\"epochLoss\":[");
        for (int i = 0; i < at.epochLoss.length; i++) {
            json.append(i == 0 ? "" : ",").append(Json.quote(Double.toString(at.epochLoss[i])));
        }
        json.append("]}");
        try {
            Checkpoints.save(checkpointDir, driver, opt, Map.of(), json.toString(), at.step);
            LOG.debug("nn-spark: checkpoint written to {} at epoch {}, step {}", checkpointDir, at.epoch, at.step);
        } catch (IOException e) {
            throw new UncheckedIOException("DataParallel: cannot write a checkpoint to " + checkpointDir + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Returns where the checkpoint in {@link #checkpointDir} stands, with its weights and optimizer
     * state loaded into {@code driver} and {@code opt}, or the start when there is none. Everything
     * is checked before anything is loaded.
     */
    private Position resume(Module driver, Optimizer opt, long n, int batches, int partitions) {
        Checkpoints.Loaded cp;
        try {
            cp = Checkpoints.load(checkpointDir);
        } catch (IOException e) {
            throw new UncheckedIOException("DataParallel: cannot read the checkpoint in " + checkpointDir + " ("
                    + e.getMessage() + ")", e);
        }
        if (cp == null) {
            return new Position(0, 0, 0, 0, new double[0]);
        }
        Map<?, ?> t = cp.trainer();
        if (!"DataParallel".equals(t.get("writer"))) {
            throw new IllegalStateException("DataParallel: checkpoint " + cp.path() + " was written by "
                    + (t.get("writer") == null ? "a Trainer" : t.get("writer")) + ", not by DataParallel (use another"
                    + " directory)");
        }
        Position at;
        try {
            long savedSeed = ((Number) t.get("seed")).longValue();
            long savedN = ((Number) t.get("examples")).longValue();
            int savedBatch = ((Number) t.get("batchSize")).intValue();
            int savedLocal = ((Number) t.get("localSteps")).intValue();
            if (savedSeed != seed || savedN != n || savedBatch != batchSize || savedLocal != localSteps) {
                throw new IllegalStateException("DataParallel: checkpoint " + cp.path() + " was written with seed "
                        + savedSeed + ", " + savedN + " examples, batch size " + savedBatch + " and " + savedLocal
                        + " local steps; this run has seed " + seed + ", " + n + " examples, batch size " + batchSize
                        + " and " + localSteps + " local steps (the same data and settings are needed to resume)");
            }
            List<?> losses = (List<?>) t.get("epochLoss");
            double[] done = new double[losses.size()];
            for (int i = 0; i < done.length; i++) {
                done[i] = Double.parseDouble((String) losses.get(i));
            }
            at = new Position(((Number) t.get("epoch")).intValue(), ((Number) t.get("batch")).intValue(),
                    ((Number) t.get("step")).longValue(), Double.parseDouble((String) t.get("lossSum")), done);
            int savedPartitions = ((Number) t.get("partitions")).intValue();
            if (savedPartitions != partitions) {
                LOG.warn("nn-spark: checkpoint {} was written on {} partitions, this run has {}: training continues,"
                        + " but not with the bits of an uninterrupted run", cp.path(), savedPartitions, partitions);
            }
        } catch (ClassCastException | NullPointerException | NumberFormatException e) {
            throw new IllegalStateException("DataParallel: checkpoint " + cp.path() + ": trainer.json is malformed ("
                    + e + ")", e);
        }
        if (at.batch < 0 || at.batch >= batches || at.epoch < 0 || at.epochLoss.length != at.epoch) {
            throw new IllegalStateException("DataParallel: checkpoint " + cp.path() + ": trainer.json is malformed"
                    + " (epoch " + at.epoch + ", batch " + at.batch + ", " + at.epochLoss.length + " epoch losses)");
        }
        driver.loadStateDict(cp.model());
        opt.loadState(cp.optimizer());
        if (at.epoch >= epochs) {
            LOG.warn("nn-spark: checkpoint {} is at epoch {} of {}: nothing left to train, the model holds its"
                    + " weights (use another directory to train anew)", cp.path(), at.epoch, epochs);
        } else {
            LOG.info("nn-spark: resumed from checkpoint {} at epoch {}, step {}", cp.path(), at.epoch, at.step);
        }
        return at;
    }

    /** One global batch: partitions' gradients summed in partition order, one optimizer step. */
    private double synchronousStep(JavaSparkContext sc, JavaRDD<Example> data, Tasks.Job job, Module driver,
                                   Optimizer opt, int epoch, int batch, long step) {
        long from = (long) batch * batchSize;
        int size = (int) Math.min(batchSize, job.n() - from);
        Broadcast<Tasks.Named> weights = sc.broadcast(Tasks.Named.of(driver.stateDict()));
        List<Tasks.PartitionGradient> parts;
        try {
            parts = new ArrayList<>(data.mapPartitionsWithIndex(
                    new Tasks.GradientTask(job, weights, epoch, from, size, step), false).collect());
        } finally {
            weights.destroy();
        }
        parts.sort(Comparator.comparingInt(Tasks.PartitionGradient::partition));
        List<Parameter> params = driver.parameters();
        float[][] sum = new float[params.size()][];
        double lossSum = 0;
        for (Tasks.PartitionGradient p : parts) {
            lossSum += p.lossSum();
            for (int i = 0; i < params.size(); i++) {
                float[] g = p.gradients().get(i);
                if (g == null) {
                    continue;
                }
                if (sum[i] == null) {
                    sum[i] = g.clone();    // not 0 + g: that would turn -0 into +0 on one partition
                } else {
                    for (int k = 0; k < g.length; k++) {
                        sum[i][k] += g[k];
                    }
                }
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (sum[i] == null) {
                p.zeroGrad();
            } else {
                p.setGrad(Tensor.of(sum[i], p.shape().dims()));
            }
        }
        opt.step();
        return lossSum;
    }

    /** One round of local steps: weights and optimizer state averaged over the partitions, weighted by rows. */
    private double localRound(JavaSparkContext sc, JavaRDD<Example> data, Tasks.Job job, Module driver,
                              Optimizer opt, int epoch, int firstBatch, int count, long step) {
        Broadcast<Tasks.Named[]> start = sc.broadcast(new Tasks.Named[] {Tasks.Named.of(driver.stateDict()),
            Tasks.Named.of(opt.state())});
        List<Tasks.PartitionState> parts;
        try {
            parts = new ArrayList<>(data.mapPartitionsWithIndex(
                    new Tasks.LocalTask(job, start, epoch, firstBatch, count, step), false).collect());
        } finally {
            start.destroy();
        }
        parts.sort(Comparator.comparingInt(Tasks.PartitionState::partition));
        long total = parts.stream().mapToLong(Tasks.PartitionState::samples).sum();
        double lossSum = parts.stream().mapToDouble(Tasks.PartitionState::lossSum).sum();
        List<Tasks.Named> weights = new ArrayList<>();
        List<Tasks.Named> states = new ArrayList<>();
        List<Float> shares = new ArrayList<>();
        for (Tasks.PartitionState p : parts) {
            if (p.samples() > 0) {
                weights.add(p.weights());
                states.add(p.optimizer());
                shares.add((float) ((double) p.samples() / total));
            }
        }
        driver.loadStateDict(average(weights, shares));
        opt.loadState(average(states, shares));
        return lossSum;
    }

    /** Returns Σ share·x over the partitions, in partition order, tensor by tensor. */
    private static Map<String, Tensor> average(List<Tasks.Named> parts, List<Float> shares) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : parts.get(0).values().keySet()) {
            float[] acc = null;
            for (int p = 0; p < parts.size(); p++) {
                float[] v = parts.get(p).values().get(name);
                float w = shares.get(p);
                if (acc == null) {
                    acc = new float[v.length];
                    for (int k = 0; k < v.length; k++) {
                        acc[k] = w * v[k];
                    }
                } else {
                    for (int k = 0; k < v.length; k++) {
                        acc[k] += w * v[k];
                    }
                }
            }
            out.put(name, Tensor.of(acc, parts.get(0).shapes().get(name)));
        }
        return out;
    }

    private static void refuseBatchNorm(Module m, String path) {
        if (m instanceof BatchNorm1d) {
            throw new IllegalArgumentException("DataParallel: " + (path.isEmpty() ? "the model" : path)
                    + " is BatchNorm1d, whose batch statistics would be each partition's; use LayerNorm");
        }
        m.children().forEach((name, c) -> refuseBatchNorm(c, path.isEmpty() ? name : path + "." + name));
    }

    /** The data's size and row lengths, from one job over it. */
    private record Shape(long n, int features, int targets) {
    }

    /** Per-partition summary, merged in any order (counts, sums, minima and maxima). */
    private record Summary(long count, long indexSum, long indexSquares, long minIndex, long maxIndex,
                           int minFeatures, int maxFeatures, int minTargets, int maxTargets) implements Serializable {

        static Summary of(Example e) {
            long i = e.index();
            int f = e.features() == null ? -1 : e.features().length;
            int t = e.target() == null ? -1 : e.target().length;
            return new Summary(1, i, i * i, i, i, f, f, t, t);
        }

        Summary merge(Summary o) {
            return new Summary(count + o.count, indexSum + o.indexSum, indexSquares + o.indexSquares,
                    Math.min(minIndex, o.minIndex), Math.max(maxIndex, o.maxIndex), Math.min(minFeatures, o.minFeatures),
                    Math.max(maxFeatures, o.maxFeatures), Math.min(minTargets, o.minTargets),
                    Math.max(maxTargets, o.maxTargets));
        }
    }

    private Shape check(JavaRDD<Example> data) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("DataParallel: the training data is empty");
        }
        Summary s = data.map(Summary::of).reduce(Summary::merge);
        long n = s.count();
        // Indices 0..n-1 each once: the count, the extremes, and the sums of i and i² (mod 2^64, as
        // the executors' longs wrap) agree with n(n-1)/2 and (n-1)n(2n-1)/6.
        BigInteger big = BigInteger.valueOf(n);
        long sum = big.multiply(big.subtract(BigInteger.ONE)).shiftRight(1).longValue();
        long squares = big.subtract(BigInteger.ONE).multiply(big).multiply(big.shiftLeft(1).subtract(BigInteger.ONE))
                .divide(BigInteger.valueOf(6)).longValue();
        boolean indicesOk = s.minIndex() == 0 && s.maxIndex() == n - 1 && s.indexSum() == sum
                && s.indexSquares() == squares;
        if (!indicesOk) {
            throw new IllegalArgumentException("DataParallel: example indices must be 0 to n - 1, each once (n = " + n
                    + "), found " + s.minIndex() + " to " + s.maxIndex() + " (number the rows with zipWithIndex)");
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("DataParallel: " + n + " examples; at most " + Integer.MAX_VALUE
                    + " are supported");
        }
        if (s.minFeatures() < 1 || s.minFeatures() != s.maxFeatures()) {
            throw new IllegalArgumentException("DataParallel: every example needs the same number of features,"
                    + " found " + s.minFeatures() + " to " + s.maxFeatures() + " (-1: none)");
        }
        int perSample = Arrays.stream(targetDims).reduce(1, (a, b) -> a * b);
        if (s.minTargets() != perSample || s.maxTargets() != perSample) {
            throw new IllegalArgumentException("DataParallel: every target must have " + perSample + " values (target"
                    + " shape " + Arrays.toString(targetDims) + "), found " + s.minTargets() + " to " + s.maxTargets());
        }
        return new Shape(n, s.minFeatures(), perSample);
    }

    /** Settings of a {@link DataParallel}; each is checked when set. */
    public static final class Builder {
        private Factory<Module> model;
        private Factory<Loss> loss;
        private OptimizerFactory optimizer;
        private int epochs = 1;
        private int batchSize = 32;
        private int localSteps = 1;
        private long seed;
        private int[] targetDims = new int[0];
        private Path checkpointDir;
        private int checkpointEvery;

        private Builder() {
        }

        /** Sets how the model is built, on the driver and on every executor. */
        public Builder model(Factory<Module> value) {
            model = value;
            return this;
        }

        /** Sets how the loss is built; it reduces by mean, as the Trainer's losses do. */
        public Builder loss(Factory<Loss> value) {
            loss = value;
            return this;
        }

        /** Sets how the optimizer is built over the model's parameters. */
        public Builder optimizer(OptimizerFactory value) {
            optimizer = value;
            return this;
        }

        /** Sets the number of passes over the data (default 1). */
        public Builder epochs(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("DataParallel: epochs must be > 0, got " + value);
            }
            epochs = value;
            return this;
        }

        /** Sets the global batch size, over all partitions together (default 32). */
        public Builder batchSize(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("DataParallel: batchSize must be > 0, got " + value);
            }
            batchSize = value;
            return this;
        }

        /** Sets the optimizer steps each partition takes between averagings; 1 (the default) trains synchronously. */
        public Builder localSteps(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("DataParallel: localSteps must be > 0, got " + value);
            }
            localSteps = value;
            return this;
        }

        /** Sets the seed of the data order (and of dropout's draws). */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Sets each sample's target shape: none (the default) for class indices or scalars, {@code 1} for [n, 1] targets. */
        public Builder targetShape(int... dims) {
            targetDims = dims.clone();
            return this;
        }

        /**
         * Writes a resumable checkpoint into {@code dir} on the driver after every epoch and, with
         * {@code everySteps} > 0, after each round that completes a multiple of that many optimizer
         * steps; a {@code fit} resumes from the newest one when the directory holds one. The format
         * is the Trainer's ({@link Checkpoints}), whose writes are atomic.
         */
        public Builder checkpoints(Path dir, int everySteps) {
            Objects.requireNonNull(dir, "DataParallel: checkpoint directory is required");
            if (everySteps < 0) {
                throw new IllegalArgumentException("DataParallel: checkpoint everySteps must be >= 0, got "
                        + everySteps);
            }
            checkpointDir = dir;
            checkpointEvery = everySteps;
            return this;
        }

        /** Returns the configured trainer. */
        public DataParallel build() {
            return new DataParallel(this);
        }
    }
}
