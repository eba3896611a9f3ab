package dev.nn.spark;

import dev.nn.core.Tensor;
import dev.nn.layers.Module;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A classifier trained by {@link NnClassifier}: {@link #transform} adds the class probabilities
 * (softmax of the model's outputs, a vector column) and the predicted class index (the most
 * probable, a double column). Executors rebuild the model from its factory and the broadcast
 * weights once per task, and run it in evaluation mode without a graph.
 *
 * <p>Saved and loaded with Spark ML persistence, alone or inside a {@code PipelineModel}: the
 * params as Spark writes them, and in {@code data/} the architecture as JSON (a {@code Sequential}
 * of nn's built-in layers; anything else is refused when saving, naming the layer) and the
 * weights as safetensors, which PyTorch and {@code Module.load} read too.
 */
public final class NnClassificationModel extends NnModel<NnClassificationModel> {

    private static final long serialVersionUID = 1L;

    private final int classes;
    private final Param<String> probabilityCol;

    NnClassificationModel(String uid, Factory<Module> factory, Tasks.Named weights, int classes) {
        super(uid, factory, weights);
        this.classes = classes;
        probabilityCol = new Param<>(uid, "probabilityCol", "class-probability column this adds");
        setDefault(probabilityCol, "probability");
    }

    @Override
    NnClassificationModel self() {
        return this;
    }

    @Override
    int outputs() {
        return classes;
    }

    /** Returns the probability column's param. */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** Sets the probability column this adds. */
    public NnClassificationModel setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    /** Returns the number of classes (the model's output width). */
    public int numClasses() {
        return classes;
    }

    static StructType outputSchema(String owner, StructType schema, String prediction, String probability) {
        Columns.requireAbsent(owner, schema, prediction);
        Columns.requireAbsent(owner, schema, probability);
        return schema.add(probability, SQLDataTypes.VectorType(), true).add(prediction, DataTypes.DoubleType, true);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireFeatures("NnClassificationModel", schema, getOrDefault(featuresCol()));
        return outputSchema("NnClassificationModel", schema, getOrDefault(predictionCol()),
                getOrDefault(probabilityCol));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Forward forward = forward(dataset);
        UDF1<Object, Vector> probabilities = features -> {
            float[] logits = forward.apply(features);
            if (logits == null) {
                return null;
            }
            float[] p = Tensor.of(logits, logits.length).softmax().toArray();
            double[] d = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                d[i] = p[i];
            }
            return Vectors.dense(d);
        };
        UserDefinedFunction argmax = functions.udf((UDF1<Vector, Double>) v -> v == null ? null : (double) v.argmax(),
                DataTypes.DoubleType);
        String prob = getOrDefault(probabilityCol);
        return dataset.toDF().withColumn(prob, functions.udf(probabilities, SQLDataTypes.VectorType())
                        .apply(functions.col(getOrDefault(featuresCol()))))
                .withColumn(getOrDefault(predictionCol()), argmax.apply(functions.col(prob)));
    }

    /** Returns the reader Spark ML persistence calls ({@code PipelineModel.load} finds it by class). */
    public static MLReader<NnClassificationModel> read() {
        return ModelFiles.reader("NnClassificationModel", saved -> new NnClassificationModel(
                saved.metadata().uid(), saved.factory(), saved.weights(), saved.outputs()));
    }

    /** Returns the model saved at {@code path}. */
    public static NnClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public NnClassificationModel copy(ParamMap extra) {
        return copyValues(new NnClassificationModel(uid(), factory, weights, classes), extra).setParent(parent());
    }
}
