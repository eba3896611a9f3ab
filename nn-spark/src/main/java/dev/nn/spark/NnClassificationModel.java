package dev.nn.spark;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.layers.Module;
import dev.nn.layers.io.Json;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
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
public final class NnClassificationModel extends Model<NnClassificationModel> implements MLWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Factory<Module> factory;
    private final Tasks.Named weights;
    private final int classes;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;

    NnClassificationModel(String uid, Factory<Module> factory, Tasks.Named weights, int classes) {
        this.uid = uid;
        this.factory = factory;
        this.weights = weights;
        this.classes = classes;
        featuresCol = new Param<>(uid, "featuresCol", "features column: a vector, or an array of float or double");
        predictionCol = new Param<>(uid, "predictionCol", "prediction column this adds");
        probabilityCol = new Param<>(uid, "probabilityCol", "class-probability column this adds");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Returns the features column's param. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Returns the prediction column's param. */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** Returns the probability column's param. */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** Sets the features column. */
    public NnClassificationModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    /** Sets the prediction column this adds. */
    public NnClassificationModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
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

    /** Returns a new copy of the trained nn model, with the trained weights. */
    public Module module() {
        Module m = factory.create();
        m.loadStateDict(weights.tensors());
        return m;
    }

    static StructType outputSchema(String owner, StructType schema, String prediction, String probability) {
        Columns.requireAbsent(owner, schema, prediction);
        Columns.requireAbsent(owner, schema, probability);
        return schema.add(probability, SQLDataTypes.VectorType(), true).add(prediction, DataTypes.DoubleType, true);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireFeatures("NnClassificationModel", schema, getOrDefault(featuresCol));
        return outputSchema("NnClassificationModel", schema, getOrDefault(predictionCol), getOrDefault(probabilityCol));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Broadcast<Tasks.Named> shared = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
                .broadcast(weights);
        Predictor predictor = new Predictor(factory, shared);
        UserDefinedFunction probabilities = functions.udf(predictor, SQLDataTypes.VectorType());
        UserDefinedFunction argmax = functions.udf((UDF1<Vector, Double>) v -> v == null ? null : (double) v.argmax(),
                DataTypes.DoubleType);
        String prob = getOrDefault(probabilityCol);
        return dataset.toDF().withColumn(prob, probabilities.apply(functions.col(getOrDefault(featuresCol))))
                .withColumn(getOrDefault(predictionCol), argmax.apply(functions.col(prob)));
    }

    /** The model on an executor: built on first use in each task from the factory and the broadcast weights. */
    private static final class Predictor implements UDF1<Object, Vector>, Serializable {
        private static final long serialVersionUID = 1L;
        private final Factory<Module> factory;
        private final Broadcast<Tasks.Named> weights;
        private transient Module module;

        Predictor(Factory<Module> factory, Broadcast<Tasks.Named> weights) {
            this.factory = factory;
            this.weights = weights;
        }

        @Override
        public Vector call(Object features) {
            float[] x = Columns.features(features);
            if (x == null) {
                return null;
            }
            if (module == null) {
                module = factory.create();
                module.loadStateDict(weights.value().tensors());
                module.eval();
            }
            try (var scope = Autograd.noGrad()) {
                Tensor p = module.forward(Variable.of(Tensor.of(x, 1, x.length))).value().softmax();
                float[] f = p.toArray();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                return Vectors.dense(d);
            }
        }
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Returns the reader Spark ML persistence calls ({@code PipelineModel.load} finds it by class). */
    public static MLReader<NnClassificationModel> read() {
        return new Reader();
    }

    /** Returns the model saved at {@code path}. */
    public static NnClassificationModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final NnClassificationModel instance;

        Writer(NnClassificationModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            String architecture = Architecture.describe(instance.module());   // refuses before writing anything
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
            try {
                java.nio.file.Path local = Files.createTempDirectory("nn-spark-save");
                try {
                    instance.module().save(local.resolve(WEIGHTS));
                    Files.writeString(local.resolve(ARCHITECTURE), "{\"classes\":" + instance.classes
                            + ",\"model\":" + Json.quote(architecture) + "}");
                    Path data = new Path(path, "data");
                    FileSystem fs = data.getFileSystem(sc().hadoopConfiguration());
                    fs.mkdirs(data);
                    for (String f : new String[] {WEIGHTS, ARCHITECTURE}) {
                        fs.copyFromLocalFile(new Path(local.resolve(f).toUri()), new Path(data, f));
                    }
                } finally {
                    deleteTree(local);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("NnClassificationModel: cannot save to " + path + " (" + e.getMessage()
                        + ")", e);
            }
        }
    }

    private static final class Reader extends MLReader<NnClassificationModel> {
        @Override
        public NnClassificationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession());
            try {
                java.nio.file.Path local = Files.createTempDirectory("nn-spark-load");
                try {
                    Path data = new Path(path, "data");
                    FileSystem fs = data.getFileSystem(sc().hadoopConfiguration());
                    for (String f : new String[] {WEIGHTS, ARCHITECTURE}) {
                        fs.copyToLocalFile(new Path(data, f), new Path(local.resolve(f).toUri()));
                    }
                    Map<?, ?> saved = (Map<?, ?>) Json.parse(Files.readString(local.resolve(ARCHITECTURE)));
                    String modelJson = (String) saved.get("model");
                    Factory<Module> factory = () -> Architecture.build(modelJson);
                    Module m = factory.create();
                    m.load(local.resolve(WEIGHTS));
                    NnClassificationModel model = new NnClassificationModel(metadata.uid(), factory,
                            Tasks.Named.of(m.stateDict()), ((Number) saved.get("classes")).intValue());
                    metadata.getAndSetParams(model, scala.Option.empty());
                    return model;
                } finally {
                    deleteTree(local);
                }
            } catch (IOException | Json.ParseException | RuntimeException e) {
                throw new IllegalArgumentException("NnClassificationModel: cannot load " + path + " (" + e.getMessage()
                        + ")", e);
            }
        }
    }

    private static final String WEIGHTS = "weights.safetensors";
    private static final String ARCHITECTURE = "architecture.json";

    private static void deleteTree(java.nio.file.Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (java.nio.file.Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public NnClassificationModel copy(ParamMap extra) {
        NnClassificationModel c = new NnClassificationModel(uid, factory, weights, classes);
        return copyValues(c, extra).setParent(parent());
    }
}
