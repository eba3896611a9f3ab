package dev.nn.spark;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.layers.Module;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.layers.loss.Loss;
import dev.nn.optim.Adam;
import java.util.Objects;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A Spark ML estimator that trains an nn classifier on a DataFrame, data-parallel
 * ({@link DataParallel}): features from a vector column (or an array of floats or doubles),
 * class indices 0..C-1 from a numeric label column, C being the model's output width.
 * {@link #fit} returns an {@link NnClassificationModel} that adds prediction and probability
 * columns. It works in a {@code Pipeline} beside Spark's own stages:
 *
 * <pre>{@code
 * var classifier = new NnClassifier()
 *         .setModel(() -> new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 3)))
 *         .setEpochs(30).setBatchSize(32).setSeed(1);
 * PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {assembler, scaler, classifier})
 *         .fit(train);
 * }</pre>
 *
 * <p>Columns are checked before any job; nulls, feature vectors of the wrong size and labels out
 * of range are refused by one checking job before training, with the row named.
 */
public final class NnClassifier extends Estimator<NnClassificationModel> {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final IntParam localSteps;
    private final LongParam seed;
    private Factory<Module> model;
    private Factory<Loss> loss = CrossEntropyLoss::new;
    private OptimizerFactory optimizer = params -> new Adam(params, 1e-3f);

    /** Creates the estimator with a random uid. */
    public NnClassifier() {
        this(Identifiable$.MODULE$.randomUID("nnClassifier"));
    }

    /** Creates the estimator with {@code uid} (Spark ML's copy and persistence call this). */
    public NnClassifier(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(uid, "featuresCol", "features column: a vector, or an array of float or double");
        labelCol = new Param<>(uid, "labelCol", "label column: class indices 0..C-1");
        predictionCol = new Param<>(uid, "predictionCol", "prediction column the model adds");
        probabilityCol = new Param<>(uid, "probabilityCol", "class-probability column the model adds");
        epochs = new IntParam(uid, "epochs", "passes over the data (> 0)");
        batchSize = new IntParam(uid, "batchSize", "global batch size, over all partitions (> 0)");
        localSteps = new IntParam(uid, "localSteps", "optimizer steps per partition between averagings; 1 is synchronous");
        seed = new LongParam(uid, "seed", "seed of the data order and of dropout");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(epochs, (Object) 10);
        setDefault(batchSize, (Object) 64);
        setDefault(localSteps, (Object) 1);
        setDefault(seed, (Object) 0L);
    }

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

    /** Returns the probability column's param. */
    public Param<String> probabilityCol() {
        return probabilityCol;
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

    /** Sets the features column (default {@code features}). */
    public NnClassifier setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    /** Sets the label column (default {@code label}). */
    public NnClassifier setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    /** Sets the prediction column the model adds (default {@code prediction}). */
    public NnClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    /** Sets the probability column the model adds (default {@code probability}). */
    public NnClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    /** Sets the passes over the data (default 10). */
    public NnClassifier setEpochs(int value) {
        DataParallel.builder().epochs(value);           // the same check and message
        set(epochs, (Object) value);
        return this;
    }

    /** Sets the global batch size (default 64). */
    public NnClassifier setBatchSize(int value) {
        DataParallel.builder().batchSize(value);
        set(batchSize, (Object) value);
        return this;
    }

    /** Sets the optimizer steps each partition takes between averagings (default 1: synchronous). */
    public NnClassifier setLocalSteps(int value) {
        DataParallel.builder().localSteps(value);
        set(localSteps, (Object) value);
        return this;
    }

    /** Sets the seed (default 0). */
    public NnClassifier setSeed(long value) {
        set(seed, (Object) value);
        return this;
    }

    /** Sets how the model is built; its output has one logit per class. Required. */
    public NnClassifier setModel(Factory<Module> value) {
        model = Objects.requireNonNull(value, "NnClassifier: model is required");
        return this;
    }

    /** Sets the loss (default {@code CrossEntropyLoss}). */
    public NnClassifier setLoss(Factory<Loss> value) {
        loss = Objects.requireNonNull(value, "NnClassifier: loss is required");
        return this;
    }

    /** Sets the optimizer (default Adam with learning rate 1e-3). */
    public NnClassifier setOptimizer(OptimizerFactory value) {
        optimizer = Objects.requireNonNull(value, "NnClassifier: optimizer is required");
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String owner = "NnClassifier";
        Columns.requireFeatures(owner, schema, getOrDefault(featuresCol));
        Columns.requireNumeric(owner, schema, getOrDefault(labelCol));
        return NnClassificationModel.outputSchema(owner, schema, getOrDefault(predictionCol),
                getOrDefault(probabilityCol));
    }

    @Override
    public NnClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        if (model == null) {
            throw new IllegalStateException("NnClassifier: no model; call setModel(() -> new Sequential(...)) first");
        }
        JavaRDD<Example> examples = dataset.select(getOrDefault(featuresCol), getOrDefault(labelCol)).toJavaRDD()
                .zipWithIndex().map(NnClassifier::example).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            int classes = checkLabels(examples);
            DataParallel.Result r = DataParallel.builder().model(model).loss(loss).optimizer(optimizer)
                    .epochs((Integer) getOrDefault(epochs)).batchSize((Integer) getOrDefault(batchSize))
                    .localSteps((Integer) getOrDefault(localSteps)).seed((Long) getOrDefault(seed)).build()
                    .fit(examples);
            NnClassificationModel fitted = new NnClassificationModel(uid, model, Tasks.Named.of(r.model().stateDict()),
                    classes);
            fitted.set(fitted.featuresCol(), getOrDefault(featuresCol));
            fitted.set(fitted.predictionCol(), getOrDefault(predictionCol));
            fitted.set(fitted.probabilityCol(), getOrDefault(probabilityCol));
            return fitted.setParent(this);
        } catch (SparkException e) {
            throw unwrap(e);
        } finally {
            examples.unpersist(false);
        }
    }

    /** Returns the model's number of classes after checking every row's features and label against it. */
    private int checkLabels(JavaRDD<Example> examples) throws SparkException {
        try {
            Example first = examples.first();
            Module m = model.create();
            m.eval();
            int classes;
            try (var scope = Autograd.noGrad()) {
                classes = m.forward(Variable.of(Tensor.zeros(1, first.features().length))).shape().dim(1);
            }
            double maxLabel = examples.map(e -> (double) e.target()[0]).reduce(Math::max);
            if (maxLabel >= classes) {
                throw new IllegalArgumentException("NnClassifier: label " + (long) maxLabel + " is out of range for a"
                        + " model with " + classes + " outputs (labels are class indices 0.." + (classes - 1) + ")");
            }
            return classes;
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SparkException s) {
                throw s;
            }
            throw e;
        }
    }

    /** A row as an Example, refusing nulls and labels that are not class indices. */
    private static Example example(Tuple2<Row, Long> indexed) {
        Row row = indexed._1();
        long i = indexed._2();
        float[] features = Columns.features(row.get(0));
        if (features == null) {
            throw new IllegalArgumentException("NnClassifier: row " + i + " has no features (null)");
        }
        if (row.isNullAt(1)) {
            throw new IllegalArgumentException("NnClassifier: row " + i + " has no label (null)");
        }
        double label = ((Number) row.get(1)).doubleValue();
        if (!(label >= 0) || label != Math.rint(label) || label > 1 << 24) {
            throw new IllegalArgumentException("NnClassifier: row " + i + " has label " + label + ", not a class index"
                    + " (a whole number from 0)");
        }
        return new Example(i, features, new float[] {(float) label});
    }

    /** Returns the user's own error from inside a failed Spark job, where there is one. */
    static RuntimeException unwrap(SparkException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof dev.nn.core.ShapeException) {
                return (RuntimeException) t;
            }
        }
        return new IllegalStateException("NnClassifier: the Spark job failed: " + e.getMessage(), e);
    }

    @Override
    public NnClassifier copy(ParamMap extra) {
        NnClassifier c = new NnClassifier(uid);
        c.model = model;
        c.loss = loss;
        c.optimizer = optimizer;
        return copyValues(c, extra);
    }
}
