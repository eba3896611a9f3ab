package dev.nn.optim.train;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.Backend;
import dev.nn.core.Tensor;
import dev.nn.layers.Module;
import dev.nn.layers.Stochastic;
import dev.nn.layers.io.Json;
import dev.nn.layers.loss.Loss;
import dev.nn.optim.GradClip;
import dev.nn.optim.LRScheduler;
import dev.nn.optim.Optimizer;
import dev.nn.optim.data.Batch;
import dev.nn.optim.data.DataLoader;
import dev.nn.optim.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop, built once and reused for any model:
 *
 * <pre>{@code
 * var trainer = Trainer.builder()
 *         .model(model).loss(new CrossEntropyLoss()).optimizer(new Adam(model.parameters(), 1e-3f))
 *         .epochs(10).batchSize(128).seed(42)
 *         .callbacks(new EarlyStopping("val_loss", 3, 0f, true))
 *         .build();
 * History history = trainer.fit(train, validation);
 * }</pre>
 *
 * <p>Each step: zero the gradients (keeping their storage, {@code zeroGrad(false)}: backward
 * writes each step's gradients into the same tensors instead of allocating them, so a listener
 * that keeps a gradient past its call copies it), forward, loss, (stop here if the loss is not finite and
 * {@code terminateOnNaN} is on: the parameters stay as they were), backward, optional clipping
 * (likewise stopping on a non-finite gradient norm), optimizer step, per-batch schedule. After each epoch: the per-epoch schedule, validation
 * (evaluation mode, no graph) and the listeners. Batches come from a {@link DataLoader} shuffled by
 * {@code (seed, epoch)}, so the same seed and data give bit-identical weights whatever the thread
 * count. A stop request (from a listener) or a thread interrupt ends training at a step boundary.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final LRScheduler schedule;
    private final boolean schedulePerBatch;
    private final float clipNorm;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final int topK;
    private final boolean terminateOnNaN;
    private final List<TrainingListener> listeners;
    private final Path checkpointDir;
    private final int checkpointEvery;
    private final Backend backend;
    private volatile String stopRequest;
    private long step;
    private History history = new History();
    private int batchesPerEpoch;

    private Trainer(Builder b) {
        this.model = Objects.requireNonNull(b.model, "Trainer: model is required");
        this.loss = Objects.requireNonNull(b.loss, "Trainer: loss is required");
        this.optimizer = Objects.requireNonNull(b.optimizer, "Trainer: optimizer is required");
        this.schedule = b.schedule;
        this.schedulePerBatch = b.schedulePerBatch;
        this.clipNorm = b.clipNorm;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.topK = b.topK;
        this.terminateOnNaN = b.terminateOnNaN;
        this.checkpointDir = b.checkpointDir;
        this.checkpointEvery = b.checkpointEvery;
        this.backend = b.backend;
        this.listeners = List.copyOf(b.listeners);
    }

    /** Returns a builder; model, loss and optimizer are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the model being trained. */
    public Module model() {
        return model;
    }

    /** Returns the optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Returns the batch size. */
    public int batchSize() {
        return batchSize;
    }

    /** Returns the number of epochs {@link #fit} runs unless stopped. */
    public int epochs() {
        return epochs;
    }

    /** Returns the number of batches per epoch of the current (or last) {@link #fit}. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /**
     * Returns the history of the {@link #fit} in progress, including the epochs a resumed run
     * restored from its checkpoint (or of the last fit): listeners read it after each epoch.
     */
    public History history() {
        return history;
    }

    /** Asks {@link #fit} to stop after the current step; {@code reason} becomes the history's stop reason. */
    public void requestStop(String reason) {
        stopRequest = reason;
    }

    /** Trains without validation data. */
    public History fit(Dataset train) {
        return fit(train, null);
    }

    /**
     * Trains for the configured epochs (or until stopped) and returns the per-epoch metrics. With
     * a checkpoint directory ({@link Builder#checkpoints}) that already holds a checkpoint, training
     * resumes from it exactly: the weights, the optimizer's moments and step counts, the schedule's
     * position, the data order, the generators of {@link Stochastic} modules (dropout) and the
     * epoch's running metrics continue where they were, so the
     * result is bit-identical to an uninterrupted run.
     */
    public History fit(Dataset train, Dataset validation) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("fit: the training set is empty");
        }
        try (Backend.Scope scope = backend == null ? null : backend.use()) {
            stopRequest = null;
            History history = new History();
            this.history = history;
            DataLoader loader = new DataLoader(train, batchSize, true, false, seed);
            batchesPerEpoch = loader.batchesPerEpoch();
            long started = System.nanoTime();
            Position start = restore(history);
            for (TrainingListener l : listeners) {
                l.onTrainBegin(this);
            }
            if (start.listenerStates != null) {
                start.listenerStates.run();
            }
            try {
                trainEpochs(loader, validation, start, history);
            } finally {
                for (TrainingListener l : listeners) {
                    l.onTrainEnd(history);
                }
            }
            if (history.stopReason().equals("completed")) {
                LOG.info("fit: completed {} epochs ({} steps) in {} s", epochs, step,
                        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
            }
            return history;
        }
    }

    /**
     * Where training starts: the beginning, or the checkpoint's position with the model, the
     * optimizer, the schedule, the generators and the history restored; listener states are
     * restored after the listeners' {@code onTrainBegin}.
     */
    private record Position(int epoch, int batch, long step, RunningMetrics running, Runnable listenerStates) {
    }

    private Position restore(History history) {
        Checkpoints.Loaded cp = checkpointDir == null ? null : loadCheckpoint();
        Resume resume = cp == null ? null : resume(cp, batchesPerEpoch);
        if (resume == null) {
            step = 0;
            return new Position(0, 0, 0, null, null);
        }
        // Everything was read and checked above; restoring changes nothing if the model's or
        // the optimizer's state does not fit (the model is put back).
        Map<String, Tensor> before = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> before.put(k, v.copy()));
        model.loadStateDict(cp.model());
        try {
            optimizer.loadState(cp.optimizer());
        } catch (RuntimeException e) {
            model.loadStateDict(before);
            throw e;
        }
        if (schedule != null && resume.scheduleSteps() >= 0) {
            schedule.setSteps(resume.scheduleSteps());
        }
        Map<String, Stochastic> random = stochasticModules();
        resume.generators().forEach((name, state) -> random.get(name).generator().restore(state));
        resume.epochs().forEach(history::add);
        step = resume.step();
        if (resume.epoch() >= epochs) {
            LOG.warn("fit: checkpoint {} is at epoch {} of {}: nothing left to train, the model holds its"
                    + " weights (use another directory to train anew)", cp.path(), resume.epoch(), epochs);
        } else {
            LOG.info("fit: resumed from checkpoint {} at epoch {}, step {}", cp.path(), resume.epoch(),
                    resume.step());
        }
        Runnable listenerStates = () -> {
            for (int i = 0; i < resume.listenerStates().size(); i++) {
                resume.stateful().get(i).restoreState(resume.listenerStates().get(i));
            }
        };
        return new Position(resume.epoch(), resume.batch(), resume.step(), resume.running(), listenerStates);
    }

    /** Runs the epochs from {@code start} until the last or a stop. */
    private void trainEpochs(DataLoader loader, Dataset validation, Position start, History history) {
        for (int epoch = start.epoch; epoch < epochs; epoch++) {
            for (TrainingListener l : listeners) {
                l.onEpochBegin(epoch);
            }
            model.train();
            boolean resumed = epoch == start.epoch && start.running != null;
            RunningMetrics running = resumed ? start.running : new RunningMetrics(topK);
            if (!trainBatches(loader, epoch, epoch == start.epoch ? start.batch : 0, running, history)) {
                return;
            }
            Map<String, Double> metrics = endEpoch(epoch, running, validation);
            history.add(metrics);
            for (TrainingListener t : listeners) {
                t.onEpochEnd(epoch, metrics);
            }
            if (checkpointDir != null) {
                saveCheckpoint(epoch + 1, 0, step, new RunningMetrics(topK), history);
            }
            if (stopRequest != null) {
                stop(history, stopRequest, false);
                return;
            }
        }
    }

    /** Runs the epoch's batches from {@code first}; returns false if training stopped. */
    private boolean trainBatches(DataLoader loader, int epoch, int first, RunningMetrics running, History history) {
        int batches = loader.batchesPerEpoch();
        for (int b = first; b < batches; b++) {
            String failure = step(loader.batch(epoch, b), epoch, b, running);
            if (failure != null) {
                stop(history, failure + " at epoch " + epoch + ", step " + (step + 1) + " (batch " + (b + 1) + " of "
                        + batches + "); parameters are from before this step", true);
                return false;
            }
            boolean interrupted = Thread.interrupted();    // cleared while the checkpoint is written
            boolean stop = stopRequest != null || interrupted;
            if (checkpointDir != null && (stop || (checkpointEvery > 0 && step % checkpointEvery == 0))) {
                saveCheckpoint(epoch, b + 1, step, running, history);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (stop) {
                stop(history, stopRequest != null ? stopRequest : "interrupted at epoch " + epoch + ", step " + step,
                        false);
                return false;
            }
        }
        return true;
    }

    /**
     * Runs one training step on {@code batch} (batch {@code b} of the epoch) and returns null, or,
     * with {@code terminateOnNaN}, what was not finite, before any parameter changed.
     */
    private String step(Batch batch, int epoch, int b, RunningMetrics running) {
        optimizer.zeroGrad(false);
        Variable out = model.forward(Variable.of(batch.features()));
        Variable l = loss.forward(out, batch.targets());
        double value = l.item();
        if (terminateOnNaN && !Double.isFinite(value)) {
            return "loss is " + value;
        }
        l.backward();
        if (clipNorm > 0) {
            double norm = GradClip.clipGradNorm(model.parameters(), clipNorm);
            if (terminateOnNaN && !Double.isFinite(norm)) {
                return "gradient norm is " + norm;
            }
        }
        optimizer.step();
        if (schedule != null && schedulePerBatch) {
            schedule.step();
        }
        step++;
        running.add(out.value(), batch.targets(), value);
        for (TrainingListener t : listeners) {
            t.onBatchEnd(epoch, b, step, value);
        }
        return null;
    }

    /** Returns the epoch's metrics (training, learning rate, validation), after the per-epoch schedule step. */
    private Map<String, Double> endEpoch(int epoch, RunningMetrics running, Dataset validation) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", running.loss());
        if (running.classification()) {
            metrics.put("accuracy", running.accuracy());
        }
        metrics.put("lr", (double) optimizer.groups().get(0).lr());
        if (schedule != null && !schedulePerBatch) {
            schedule.step();
        }
        if (validation != null && validation.size() > 0) {
            Evaluation v = evaluate(validation);
            metrics.put("val_loss", v.loss());
            if (v.confusion() != null) {
                metrics.put("val_accuracy", v.accuracy());
            }
        }
        return metrics;
    }

    /** Records why training stopped, and logs it: a warning where something went wrong, otherwise information. */
    private static void stop(History history, String reason, boolean problem) {
        history.stopped(reason);
        if (problem) {
            LOG.warn("fit: stopped: {}", reason);
        } else {
            LOG.info("fit: stopped: {}", reason);
        }
    }

    /** Returns the model's modules that draw random numbers, by dotted path ("" for the model itself). */
    private Map<String, Stochastic> stochasticModules() {
        Map<String, Stochastic> out = new LinkedHashMap<>();
        collectStochastic("", model, out);
        return out;
    }

    private static void collectStochastic(String path, Module m, Map<String, Stochastic> out) {
        if (m instanceof Stochastic) {
            out.put(path, (Stochastic) m);
        }
        m.children().forEach((name, child) -> collectStochastic(path.isEmpty() ? name : path + "." + name, child, out));
    }

    /** What a checkpoint's trainer.json says, read and checked before anything is restored. */
    private record Resume(int epoch, int batch, long step, int scheduleSteps, RunningMetrics running,
                          List<Map<String, Double>> epochs, Map<String, Long> generators,
                          List<TrainingListener> stateful, List<ListenerState> listenerStates) {
    }

    private Resume resume(Checkpoints.Loaded cp, int batches) {
        Map<?, ?> t = cp.trainer();
        Object writer = t.get("writer");
        if (writer != null && !"Trainer".equals(writer)) {
            throw new IllegalStateException("fit: checkpoint " + cp.path() + " was written by " + writer
                    + ", not by a Trainer (resume it with what wrote it, or use another directory)");
        }
        try {
            long savedSeed = ((Number) t.get("seed")).longValue();
            int savedBatches = ((Number) t.get("batchesPerEpoch")).intValue();
            if (savedSeed != seed || savedBatches != batches) {
                throw new IllegalStateException("fit: checkpoint " + cp.path() + " was written with seed " + savedSeed
                        + " and " + savedBatches + " batches per epoch; this run has seed " + seed + " and " + batches
                        + " (same data, batch size and seed are needed to resume)");
            }
            Map<?, ?> saved = (Map<?, ?>) t.get("generators");
            Set<String> random = stochasticModules().keySet();
            if (saved == null || !saved.keySet().equals(random)) {
                throw new IllegalStateException("fit: checkpoint " + cp.path() + " holds random-number state for "
                        + (saved == null ? "no modules" : saved.keySet()) + ", the model has " + random);
            }
            Map<String, Long> generators = new LinkedHashMap<>();
            saved.forEach((name, state) -> generators.put((String) name, Long.parseLong((String) state)));
            List<Map<String, Double>> epochs = new ArrayList<>();
            for (Object e : (List<?>) t.get("history")) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                ((Map<?, ?>) e).forEach((k, v) -> metrics.put((String) k, v == null ? Double.NaN
                        : ((Number) v).doubleValue()));
                epochs.add(metrics);
            }
            List<TrainingListener> stateful = statefulCallbacks();
            return new Resume(((Number) t.get("epoch")).intValue(), ((Number) t.get("batch")).intValue(),
                    ((Number) t.get("step")).longValue(), ((Number) t.get("scheduleSteps")).intValue(),
                    RunningMetrics.fromJson((Map<?, ?>) t.get("running"), topK), epochs, generators, stateful,
                    Checkpoints.listenerStates(cp, stateful));
        } catch (ClassCastException | NullPointerException | NumberFormatException e) {
            throw new IllegalStateException("fit: checkpoint " + cp.path() + ": trainer.json is malformed (" + e
                    + ")", e);
        }
    }

    /** The listeners that carry state across checkpoints, in order (those whose state is not empty). */
    private List<TrainingListener> statefulCallbacks() {
        List<TrainingListener> out = new ArrayList<>();
        for (TrainingListener l : listeners) {
            if (!l.saveState().isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    private Checkpoints.Loaded loadCheckpoint() {
        try {
            return Checkpoints.load(checkpointDir);
        } catch (IOException e) {
            throw new UncheckedIOException("fit: cannot read the checkpoint in " + checkpointDir + " ("
                    + e.getMessage() + ")", e);
        }
    }

    private void saveCheckpoint(int epoch, int batch, long step, RunningMetrics running, History history) {
        StringBuilder json = new StringBuilder("{\"writer\":\"Trainer\",\"epoch\":").append(epoch)
                .append(",\"batch\":").append(batch)
                .append(",\"step\":").append(step).append(",\"seed\":").append(seed).append(",\"batchesPerEpoch\":")
                .append(batchesPerEpoch).append(",\"scheduleSteps\":").append(schedule == null ? -1 : schedule.steps())
                .append(",\"running\":").append(running.toJson()).append(",\"generators\":{");
        Map<String, Stochastic> random = stochasticModules();
        boolean first = true;
        for (Map.Entry<String, Stochastic> e : random.entrySet()) {
            json.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':')
                    .append(Json.quote(Long.toString(e.getValue().generator().state())));
            first = false;
        }
        Map<String, Tensor> listenerTensors = new LinkedHashMap<>();
        json.append("},\"listeners\":").append(Checkpoints.listenersJson(listeners, listenerTensors));
        json.append(",\"history\":").append(history.epochsJson()).append('}');
        try {
            Checkpoints.save(checkpointDir, model, optimizer, listenerTensors, json.toString(), step);
            LOG.debug("fit: checkpoint written to {} at epoch {}, step {}", checkpointDir, epoch, step);
        } catch (IOException e) {
            throw new UncheckedIOException("fit: cannot write a checkpoint to " + checkpointDir + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Returns the loss (and, for classification, accuracy, top-k accuracy and the confusion
     * matrix) of the model on {@code data}, in evaluation mode and without recording a graph.
     * The model's mode is restored afterwards.
     */
    public Evaluation evaluate(Dataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("evaluate: the dataset is empty");
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Backend.Scope on = backend == null ? null : backend.use(); var scope = Autograd.noGrad()) {
            DataLoader loader = new DataLoader(data, batchSize, false, false, 0);
            RunningMetrics running = new RunningMetrics(topK);
            for (int b = 0; b < loader.batchesPerEpoch(); b++) {
                Batch batch = loader.batch(0, b);
                Variable out = model.forward(Variable.of(batch.features()));
                running.add(out.value(), batch.targets(), loss.forward(out, batch.targets()).item());
            }
            return running.evaluation();
        } finally {
            model.train(wasTraining);
        }
    }

    /** Returns the model's outputs for {@code features}, in evaluation mode, batch by batch, without a graph. */
    public Tensor predict(Tensor features) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Backend.Scope on = backend == null ? null : backend.use(); var scope = Autograd.noGrad()) {
            int n = features.shape().dim(0);
            List<float[]> parts = new ArrayList<>();
            int[] outDims = null;
            for (int from = 0; from < n; from += batchSize) {
                Tensor out = model.forward(Variable.of(features.rows(from, Math.min(n, from + batchSize)))).value();
                parts.add(out.toArray());
                outDims = out.shape().dims();
            }
            if (outDims == null) {
                throw new IllegalArgumentException("predict: no samples");
            }
            int per = outDims.length == 0 ? 1 : Arrays.stream(outDims).skip(1).reduce(1, (a, c) -> a * c);
            float[] all = new float[n * per];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            outDims[0] = n;
            return Tensor.of(all, outDims);
        } finally {
            model.train(wasTraining);
        }
    }

    /** Builds a {@link Trainer}; every setting is validated when set. */
    public static final class Builder {
        private Module model;
        private Loss loss;
        private Optimizer optimizer;
        private LRScheduler schedule;
        private boolean schedulePerBatch;
        private float clipNorm;
        private int epochs = 1;
        private int batchSize = 32;
        private long seed;
        private int topK = 5;
        private boolean terminateOnNaN = true;
        private Backend backend;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Path checkpointDir;
        private int checkpointEvery;

        private Builder() {
        }

        /**
         * Writes a resumable checkpoint into {@code dir} after every epoch, every {@code everySteps}
         * steps (0: only at epoch ends) and when training is stopped or interrupted; {@code fit}
         * resumes from the newest one when the directory holds one.
         */
        public Builder checkpoints(Path dir, int everySteps) {
            if (everySteps < 0) {
                throw new IllegalArgumentException("checkpoint everySteps must be >= 0, got " + everySteps);
            }
            checkpointDir = dir;
            checkpointEvery = everySteps;
            return this;
        }

        /** Sets the model. */
        public Builder model(Module value) {
            model = value;
            return this;
        }

        /** Sets the loss. */
        public Builder loss(Loss value) {
            loss = value;
            return this;
        }

        /** Sets the optimizer. */
        public Builder optimizer(Optimizer value) {
            optimizer = value;
            return this;
        }

        /** Sets a schedule stepped after every epoch. */
        public Builder schedule(LRScheduler value) {
            schedule = value;
            schedulePerBatch = false;
            return this;
        }

        /** Sets a schedule stepped after every batch (warm-up, one-cycle). */
        public Builder schedulePerBatch(LRScheduler value) {
            schedule = value;
            schedulePerBatch = true;
            return this;
        }

        /** Clips the gradients' global norm to {@code maxNorm} before each step (0: off). */
        public Builder clipGradNorm(float maxNorm) {
            if (!(maxNorm >= 0)) {
                throw new IllegalArgumentException("clipGradNorm must be >= 0, got " + maxNorm);
            }
            clipNorm = maxNorm;
            return this;
        }

        /** Sets the number of epochs (default 1). */
        public Builder epochs(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("epochs must be > 0, got " + value);
            }
            epochs = value;
            return this;
        }

        /** Sets the batch size (default 32). */
        public Builder batchSize(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("batchSize must be > 0, got " + value);
            }
            batchSize = value;
            return this;
        }

        /** Sets the seed of the data order (default 0). */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Sets k for the top-k accuracy of {@link Trainer#evaluate} (default 5). */
        public Builder topK(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("topK must be > 0, got " + value);
            }
            topK = value;
            return this;
        }

        /** Turns off stopping on a non-finite loss (on by default). */
        public Builder terminateOnNaN(boolean value) {
            terminateOnNaN = value;
            return this;
        }

        /**
         * Runs {@link Trainer#fit}, {@link Trainer#evaluate} and {@link Trainer#predict} on
         * {@code value} (default: the calling thread's current backend). The result is the same
         * on every backend; its threads and kernels decide only the speed.
         */
        public Builder backend(Backend value) {
            backend = Objects.requireNonNull(value, "Trainer: backend is required");
            return this;
        }

        /** Adds listeners, called in the order given. */
        public Builder callbacks(TrainingListener... values) {
            listeners.addAll(Arrays.asList(values));
            return this;
        }

        /** Returns the trainer. */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
