package dev.nn.spark;

import dev.nn.layers.Module;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A regression model trained by {@link NnRegressor}: {@link #transform} adds the model's output
 * as a double prediction column. Saved and loaded with Spark ML persistence as
 * {@link NnClassificationModel} is (architecture as JSON, weights as safetensors).
 */
public final class NnRegressionModel extends NnModel<NnRegressionModel> {

    private static final long serialVersionUID = 1L;

    NnRegressionModel(String uid, Factory<Module> factory, Tasks.Named weights) {
        super(uid, factory, weights);
    }

    @Override
    NnRegressionModel self() {
        return this;
    }

    @Override
    int outputs() {
        return 1;
    }

    static StructType outputSchema(String owner, StructType schema, String prediction) {
        Columns.requireAbsent(owner, schema, prediction);
        return schema.add(prediction, DataTypes.DoubleType, true);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireFeatures("NnRegressionModel", schema, getOrDefault(featuresCol()));
        return outputSchema("NnRegressionModel", schema, getOrDefault(predictionCol()));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Forward forward = forward(dataset);
        UDF1<Object, Double> predict = features -> {
            float[] out = forward.apply(features);
            return out == null ? null : (double) out[0];
        };
        return dataset.toDF().withColumn(getOrDefault(predictionCol()),
                functions.udf(predict, DataTypes.DoubleType).apply(functions.col(getOrDefault(featuresCol()))));
    }

    /** Returns the reader Spark ML persistence calls ({@code PipelineModel.load} finds it by class). */
    public static MLReader<NnRegressionModel> read() {
        return ModelFiles.reader("NnRegressionModel", saved -> new NnRegressionModel(saved.metadata().uid(),
                saved.factory(), saved.weights()));
    }

    /** Returns the model saved at {@code path}. */
    public static NnRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public NnRegressionModel copy(ParamMap extra) {
        return copyValues(new NnRegressionModel(uid(), factory, weights), extra).setParent(parent());
    }
}
