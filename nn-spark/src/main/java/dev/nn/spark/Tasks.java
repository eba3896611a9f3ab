package dev.nn.spark;

import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Backend;
import dev.nn.core.Tensor;
import dev.nn.layers.Module;
import dev.nn.layers.Stochastic;
import dev.nn.layers.loss.Loss;
import dev.nn.optim.Optimizer;
import dev.nn.optim.data.DataLoader;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * What executors run: each function is a pure function of its broadcast inputs and its partition,
 * so a task that fails and is retried computes exactly the same result.
 */
final class Tasks {

    private Tasks() {
    }

    /** Tensors by name as plain arrays and shapes, for broadcasts and task results. */
    record Named(LinkedHashMap<String, float[]> values, LinkedHashMap<String, int[]> shapes) implements Serializable {

        static Named of(Map<String, Tensor> tensors) {
            LinkedHashMap<String, float[]> values = new LinkedHashMap<>();
            LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
            tensors.forEach((k, t) -> {
                values.put(k, t.toArray());
                shapes.put(k, t.shape().dims());
            });
            return new Named(values, shapes);
        }

        Map<String, Tensor> tensors() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            values.forEach((k, v) -> out.put(k, Tensor.of(v, shapes.get(k))));
            return out;
        }
    }

    /** A partition's gradient for one step: the samples it held, their summed loss, each parameter's gradient (null if none). */
    record PartitionGradient(int partition, int samples, double lossSum, List<float[]> gradients)
            implements Serializable {
    }

    /** A partition's state after its local steps of one round. */
    record PartitionState(int partition, int samples, double lossSum, Named weights, Named optimizer)
            implements Serializable {
    }

    /** What every task of a run shares. */
    record Job(Factory<Module> model, Factory<Loss> loss, OptimizerFactory optimizer, long n, long seed,
               int batchSize, int[] targetDims) implements Serializable {
    }

    // The epoch's rank of every sample, kept for the tasks of one epoch in this executor.
    private static volatile Ranks lastRanks;

    private record Ranks(long n, long seed, int epoch, int[] rank) {
    }

    /** Returns rank[i], sample i's position in epoch {@code epoch}'s order (the Trainer's DataLoader order). */
    static int[] ranks(long n, long seed, int epoch) {
        Ranks r = lastRanks;
        if (r == null || r.n != n || r.seed != seed || r.epoch != epoch) {
            int[] order = DataLoader.shuffled((int) n, seed, epoch);
            int[] rank = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                rank[order[i]] = i;
            }
            r = new Ranks(n, seed, epoch, rank);
            lastRanks = r;
        }
        return r.rank;
    }

    /** Returns this partition's samples whose rank lies in [from, to), in rank order. */
    static List<Example> select(Iterator<Example> partition, int[] rank, long from, long to) {
        List<Example> mine = new ArrayList<>();
        while (partition.hasNext()) {
            Example e = partition.next();
            int r = rank[(int) e.index()];
            if (r >= from && r < to) {
                mine.add(e);
            }
        }
        mine.sort(Comparator.comparingInt(e -> rank[(int) e.index()]));
        return mine;
    }

    static Tensor features(List<Example> rows) {
        int f = rows.get(0).features().length;
        float[] x = new float[rows.size() * f];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).features(), 0, x, i * f, f);
        }
        return Tensor.of(x, rows.size(), f);
    }

    static Tensor targets(List<Example> rows, int[] dims) {
        int t = rows.get(0).target().length;
        float[] y = new float[rows.size() * t];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).target(), 0, y, i * t, t);
        }
        int[] shape = new int[dims.length + 1];
        shape[0] = rows.size();
        System.arraycopy(dims, 0, shape, 1, dims.length);
        return Tensor.of(y, shape);
    }

    /** This JVM's backends for tasks, by thread count; never closed (their workers are daemons). */
    private static final Map<Integer, Backend> BACKENDS = new ConcurrentHashMap<>();

    /**
     * The backend a task computes on: as many nn threads as Spark gives each task
     * ({@code spark.task.cpus}, default 1), so the executor's concurrent tasks do not each spread
     * over all its cores. Kernels and tile follow the {@code -Dnn.*} properties. The thread count
     * never changes a result.
     */
    static Backend backend() {
        TaskContext task = TaskContext.get();
        int cpus = task == null ? 1 : Math.max(1, task.cpus());
        return BACKENDS.computeIfAbsent(cpus, n -> Backend.builder().threads(n).build());
    }

    /** Builds the job's model with {@code weights}, in training mode, its random draws fixed by (seed, step, partition). */
    static Module model(Job job, Named weights, long step, int partition) {
        Module m = job.model().create();
        m.loadStateDict(weights.tensors());
        m.train();
        List<Stochastic> random = new ArrayList<>();
        collectStochastic(m, random);
        for (int i = 0; i < random.size(); i++) {
            long state = job.seed() * 0x9E3779B97F4A7C15L ^ step * 0xBF58476D1CE4E5B9L ^ (long) partition << 32 ^ i;
            random.get(i).generator().restore(state);
        }
        return m;
    }

    private static void collectStochastic(Module m, List<Stochastic> out) {
        if (m instanceof Stochastic s) {
            out.add(s);
        }
        m.children().values().forEach(c -> collectStochastic(c, out));
    }

    /**
     * The gradient of one global batch (ranks [from, from + size)) on each partition: the mean loss
     * over the partition's rows, backward, then each gradient scaled by rows / size, so that their
     * sum over partitions is the whole batch's mean-loss gradient.
     */
    record GradientTask(Job job, Broadcast<Named> weights, int epoch, long from, int size, long step)
            implements Function2<Integer, Iterator<Example>, Iterator<PartitionGradient>> {

        @Override
        public Iterator<PartitionGradient> call(Integer partition, Iterator<Example> data) {
            try (Backend.Scope on = backend().use()) {
                return gradient(partition, data);
            }
        }

        private Iterator<PartitionGradient> gradient(int partition, Iterator<Example> data) {
            List<Example> rows = select(data, ranks(job.n(), job.seed(), epoch), from, from + size);
            if (rows.isEmpty()) {
                return Collections.emptyIterator();
            }
            Module m = model(job, weights.value(), step, partition);
            Variable out = m.forward(Variable.of(features(rows)));
            Variable l = job.loss().create().forward(out, targets(rows, job.targetDims()));
            l.backward();
            float scale = (float) rows.size() / size;
            List<float[]> gradients = new ArrayList<>();
            for (Parameter p : m.parameters()) {
                Tensor g = p.grad();
                gradients.add(g == null ? null : scale == 1f ? g.toArray() : g.mul(scale).toArray());
            }
            return List.of(new PartitionGradient(partition, rows.size(), l.item() * (double) rows.size(),
                    gradients)).iterator();
        }
    }

    /**
     * One round of local steps: from the broadcast weights and optimizer state, each partition takes
     * an optimizer step on its rows of each of {@code batches} global batches starting at
     * {@code firstBatch}, and returns its weights and optimizer state.
     */
    record LocalTask(Job job, Broadcast<Named[]> start, int epoch, int firstBatch, int batches, long firstStep)
            implements Function2<Integer, Iterator<Example>, Iterator<PartitionState>> {

        @Override
        public Iterator<PartitionState> call(Integer partition, Iterator<Example> data) {
            try (Backend.Scope on = backend().use()) {
                return steps(partition, data);
            }
        }

        private Iterator<PartitionState> steps(int partition, Iterator<Example> data) {
            int b = job.batchSize();
            int[] rank = ranks(job.n(), job.seed(), epoch);
            List<Example> rows = select(data, rank, (long) firstBatch * b, (long) (firstBatch + batches) * b);
            if (rows.isEmpty()) {
                return Collections.emptyIterator();
            }
            Named[] s = start.value();
            Module m = model(job, s[0], firstStep, partition);
            Optimizer opt = job.optimizer().create(m.parameters());
            opt.loadState(s[1].tensors());
            int samples = 0;
            double lossSum = 0;
            int at = 0;
            for (int j = 0; j < batches && at < rows.size(); j++) {
                long end = (long) (firstBatch + j + 1) * b;
                List<Example> batch = new ArrayList<>();
                while (at < rows.size() && rank[(int) rows.get(at).index()] < end) {
                    batch.add(rows.get(at++));
                }
                if (batch.isEmpty()) {
                    continue;
                }
                opt.zeroGrad();
                Variable out = m.forward(Variable.of(features(batch)));
                Variable l = job.loss().create().forward(out, targets(batch, job.targetDims()));
                l.backward();
                opt.step();
                samples += batch.size();
                lossSum += l.item() * (double) batch.size();
            }
            return List.of(new PartitionState(partition, samples, lossSum, Named.of(m.stateDict()),
                    Named.of(opt.state()))).iterator();
        }
    }
}
