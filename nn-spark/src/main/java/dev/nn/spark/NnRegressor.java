package dev.nn.spark;

import dev.nn.layers.loss.MSELoss;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML estimator that trains an nn regression model on a DataFrame, data-parallel
 * ({@link DataParallel}): features from a vector column (or an array of floats or doubles), the
 * value to predict from a numeric label column, a model with one output. {@link #fit} returns an
 * {@link NnRegressionModel} that adds a prediction column. It works in a {@code Pipeline} beside
 * Spark's own stages, as {@link NnClassifier} does:
 *
 * <pre>{@code
 * var regressor = new NnRegressor()
 *         .setModel(() -> new Sequential(new Linear(3, 16), new Tanh(), new Linear(16, 1)))
 *         .setEpochs(30).setBatchSize(32).setSeed(1);
 * }</pre>
 *
 * <p>Columns are checked before any job; nulls, labels that are not finite and feature vectors of
 * the wrong size are refused before training, with the row or the layer named. The loss is
 * {@code MSELoss} (targets {@code [n, 1]}) unless set.
 */
public final class NnRegressor extends NnEstimator<NnRegressionModel, NnRegressor> {

    private static final long serialVersionUID = 1L;

    /** Creates the estimator with a random uid. */
    public NnRegressor() {
        this(Identifiable$.MODULE$.randomUID("nnRegressor"));
    }

    /** Creates the estimator with {@code uid} (Spark ML's copy and persistence call this). */
    public NnRegressor(String uid) {
        super(uid, "label column: the numbers to predict", MSELoss::new);
    }

    @Override
    NnRegressor self() {
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireFeatures(owner(), schema, getOrDefault(featuresCol()));
        Columns.requireNumeric(owner(), schema, getOrDefault(labelCol()));
        return NnRegressionModel.outputSchema(owner(), schema, getOrDefault(predictionCol()));
    }

    @Override
    public NnRegressionModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        requireModel();
        JavaRDD<Example> examples = Fitting.examples(dataset, getOrDefault(featuresCol()), getOrDefault(labelCol()),
                owner(), false);
        try {
            return Fitting.unwrapping(owner(), () -> {
                int outputs = Fitting.outputs(model, examples.first().features().length);
                if (outputs != 1) {
                    throw new IllegalArgumentException(owner() + ": the model has " + outputs + " outputs; a"
                            + " regressor predicts one (end it with a Linear(..., 1))");
                }
                NnRegressionModel fitted = new NnRegressionModel(uid(), model, train(examples, 1));
                fitted.set(fitted.featuresCol(), getOrDefault(featuresCol()));
                fitted.set(fitted.predictionCol(), getOrDefault(predictionCol()));
                return fitted.setParent(this);
            });
        } finally {
            examples.unpersist(false);
        }
    }

    @Override
    public NnRegressor copy(ParamMap extra) {
        return copyInto(new NnRegressor(uid()), extra);
    }
}
