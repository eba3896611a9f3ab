package dev.nn.spark;

import dev.nn.layers.Module;
import dev.nn.layers.loss.Loss;
import dev.nn.optim.Adam;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;

/**
 * What {@link NnClassifier} and {@link NnRegressor} share: the columns, the training settings as
 * Spark ML params, the model, loss and optimizer factories, and training on Examples with
 * {@link DataParallel}. Public because Spark ML reads params through public methods.
 *
 * @param <M> the model it fits
 * @param <E> the estimator itself, which its setters return
 */
public abstract class NnEstimator<M extends Model<M>, E extends NnEstimator<M, E>> extends Estimator<M> {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final IntParam localSteps;
    private final LongParam seed;
    private final Param<String> checkpointDir;
    private final IntParam checkpointInterval;
    Factory<Module> model;
    Factory<Loss> loss;
    OptimizerFactory optimizer = params -> new Adam(params, 1e-3f);

    NnEstimator(String uid, String labelDoc, Factory<Loss> defaultLoss) {
        this.uid = uid;
        this.loss = defaultLoss;
        featuresCol = new Param<>(uid, "featuresCol", "features column: a vector, or an array of float or double");
        labelCol = new Param<>(uid, "labelCol", labelDoc);
        predictionCol = new Param<>(uid, "predictionCol", "prediction column the model adds");
        epochs = new IntParam(uid, "epochs", "passes over the data (> 0)");
        batchSize = new IntParam(uid, "batchSize", "global batch size, over all partitions (> 0)");
        localSteps = new IntParam(uid, "localSteps", "optimizer steps per partition between averagings; 1 is synchronous");
        seed = new LongParam(uid, "seed", "seed of the data order and of dropout");
        checkpointDir = new Param<>(uid, "checkpointDir", "directory on the driver for resumable checkpoints;"
                + " a fit that finds one there resumes from it (unset: no checkpoints)");
        checkpointInterval = new IntParam(uid, "checkpointInterval", "optimizer steps between checkpoints within"
                + " an epoch (>= 0); 0 writes one after each epoch only");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(epochs, (Object) 10);
        setDefault(batchSize, (Object) 64);
        setDefault(localSteps, (Object) 1);
        setDefault(seed, (Object) 0L);
        setDefault(checkpointInterval, (Object) 0);
    }

    /** Returns this estimator, typed as itself. */
    abstract E self();

    @Override
    public String uid() {
        return uid;
    }

    /** Returns the features column's param. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Returns the label column's param. */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** Returns the prediction column's param. */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** Returns the epochs param. */
    public IntParam epochs() {
        return epochs;
    }

    /** Returns the batch size param. */
    public IntParam batchSize() {
        return batchSize;
    }

    /** Returns the local steps param. */
    public IntParam localSteps() {
        return localSteps;
    }

    /** Returns the seed param. */
    public LongParam seed() {
        return seed;
    }

    /** Returns the checkpoint directory param. */
    public Param<String> checkpointDir() {
        return checkpointDir;
    }

    /** Returns the checkpoint interval param. */
    public IntParam checkpointInterval() {
        return checkpointInterval;
    }

    /** Sets the features column (default {@code features}). */
    public E setFeaturesCol(String value) {
        set(featuresCol, value);
        return self();
    }

    /** Sets the label column (default {@code label}). */
    public E setLabelCol(String value) {
        set(labelCol, value);
        return self();
    }

    /** Sets the prediction column the model adds (default {@code prediction}). */
    public E setPredictionCol(String value) {
        set(predictionCol, value);
        return self();
    }

    /** Sets the passes over the data (default 10). */
    public E setEpochs(int value) {
        DataParallel.builder().epochs(value);           // the same check and message
        set(epochs, (Object) value);
        return self();
    }

    /** Sets the global batch size (default 64). */
    public E setBatchSize(int value) {
        DataParallel.builder().batchSize(value);
        set(batchSize, (Object) value);
        return self();
    }

    /** Sets the optimizer steps each partition takes between averagings (default 1: synchronous). */
    public E setLocalSteps(int value) {
        DataParallel.builder().localSteps(value);
        set(localSteps, (Object) value);
        return self();
    }

    /** Sets the seed (default 0). */
    public E setSeed(long value) {
        set(seed, (Object) value);
        return self();
    }

    /**
     * Sets the directory on the driver's file system where training writes resumable checkpoints
     * (the Trainer's format); a fit that finds one there resumes from it (default: none). Use one
     * directory per training run: a fit resumes any checkpoint there whose seed, example count,
     * batch size and local steps match its own, so fits that share one (a cross-validator's folds of
     * equal size) would continue each other's runs.
     */
    public E setCheckpointDir(String value) {
        Objects.requireNonNull(value, owner() + ": checkpointDir is required");
        DataParallel.builder().checkpoints(Path.of(value), 0);
        set(checkpointDir, value);
        return self();
    }

    /** Sets the optimizer steps between checkpoints within an epoch (default 0: after each epoch only). */
    public E setCheckpointInterval(int value) {
        DataParallel.builder().checkpoints(Path.of("."), value);
        set(checkpointInterval, (Object) value);
        return self();
    }

    /** Sets how the model is built, on the driver and on every executor. Required. */
    public E setModel(Factory<Module> value) {
        model = Objects.requireNonNull(value, owner() + ": model is required");
        return self();
    }

    /** Sets the loss. */
    public E setLoss(Factory<Loss> value) {
        loss = Objects.requireNonNull(value, owner() + ": loss is required");
        return self();
    }

    /** Sets the optimizer (default Adam with learning rate 1e-3). */
    public E setOptimizer(OptimizerFactory value) {
        optimizer = Objects.requireNonNull(value, owner() + ": optimizer is required");
        return self();
    }

    String owner() {
        return getClass().getSimpleName();
    }

    void requireModel() {
        if (model == null) {
            throw new IllegalStateException(owner() + ": no model; call setModel(() -> new Sequential(...)) first");
        }
    }

    /** Trains the model on {@code examples} with these settings; returns the trained weights. */
    Tasks.Named train(JavaRDD<Example> examples, int... targetDims) {
        DataParallel.Builder b = DataParallel.builder().model(model).loss(loss).optimizer(optimizer)
                .epochs((Integer) getOrDefault(epochs)).batchSize((Integer) getOrDefault(batchSize))
                .localSteps((Integer) getOrDefault(localSteps)).seed((Long) getOrDefault(seed))
                .targetShape(targetDims);
        if (isDefined(checkpointDir)) {
            b.checkpoints(Path.of(getOrDefault(checkpointDir)), (Integer) getOrDefault(checkpointInterval));
        }
        DataParallel.Result r = b.build().fit(examples);
        return Tasks.Named.of(r.model().stateDict());
    }

    /** Returns {@code copy} with this estimator's factories and params (and {@code extra}'s). */
    E copyInto(E copy, ParamMap extra) {
        NnEstimator<M, E> c = copy;
        c.model = model;
        c.loss = loss;
        c.optimizer = optimizer;
        return copyValues(copy, extra);
    }
}
