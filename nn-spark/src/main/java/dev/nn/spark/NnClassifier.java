package dev.nn.spark;

import dev.nn.layers.loss.CrossEntropyLoss;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

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
 * of range are refused before training, with the row or the layer named. The loss is
 * {@code CrossEntropyLoss} unless set.
 */
public final class NnClassifier extends NnEstimator<NnClassificationModel, NnClassifier> {

    private static final long serialVersionUID = 1L;

    private final Param<String> probabilityCol;

    /** Creates the estimator with a random uid. */
    public NnClassifier() {
        this(Identifiable$.MODULE$.randomUID("nnClassifier"));
    }

    /** Creates the estimator with {@code uid} (Spark ML's copy and persistence call this). */
    public NnClassifier(String uid) {
        super(uid, "label column: class indices 0..C-1", CrossEntropyLoss::new);
        probabilityCol = new Param<>(uid, "probabilityCol", "class-probability column the model adds");
        setDefault(probabilityCol, "probability");
    }

    @Override
    NnClassifier self() {
        return this;
    }

    /** Returns the probability column's param. */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** Sets the probability column the model adds (default {@code probability}). */
    public NnClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireFeatures(owner(), schema, getOrDefault(featuresCol()));
        Columns.requireNumeric(owner(), schema, getOrDefault(labelCol()));
        return NnClassificationModel.outputSchema(owner(), schema, getOrDefault(predictionCol()),
                getOrDefault(probabilityCol));
    }

    @Override
    public NnClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        requireModel();
        JavaRDD<Example> examples = Fitting.examples(dataset, getOrDefault(featuresCol()), getOrDefault(labelCol()),
                owner(), true);
        try {
            return Fitting.unwrapping(owner(), () -> {
                int classes = Fitting.outputs(model, examples.first().features().length);
                double maxLabel = examples.map(e -> (double) e.target()[0]).reduce(Math::max);
                if (maxLabel >= classes) {
                    throw new IllegalArgumentException(owner() + ": label " + (long) maxLabel + " is out of range for"
                            + " a model with " + classes + " outputs (labels are class indices 0.." + (classes - 1)
                            + ")");
                }
                NnClassificationModel fitted = new NnClassificationModel(uid(), model, train(examples), classes);
                fitted.set(fitted.featuresCol(), getOrDefault(featuresCol()));
                fitted.set(fitted.predictionCol(), getOrDefault(predictionCol()));
                fitted.set(fitted.probabilityCol(), getOrDefault(probabilityCol));
                return fitted.setParent(this);
            });
        } finally {
            examples.unpersist(false);
        }
    }

    @Override
    public NnClassifier copy(ParamMap extra) {
        return copyInto(new NnClassifier(uid()), extra);
    }
}
