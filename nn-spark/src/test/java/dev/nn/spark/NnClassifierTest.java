package dev.nn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.core.Generator;
import dev.nn.layers.Linear;
import dev.nn.layers.ReLU;
import dev.nn.layers.Sequential;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The estimator as Spark users meet it: in a Pipeline with Spark's own stages, and refusing bad columns. */
class NnClassifierTest {

    static SparkSession spark;

    @org.junit.jupiter.api.io.TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2,4]").appName("nn-spark ML tests")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Dataset<Row> iris() {
        return spark.read().option("header", true).option("inferSchema", true)
                .csv(Path.of("../docs/data/iris.csv").toAbsolutePath().toString()).repartition(2);
    }

    static NnClassifier classifier() {
        return new NnClassifier()
                .setModel(() -> {
                    Generator g = new Generator(3);
                    return new Sequential(new Linear(4, 16, true, g), new ReLU(), new Linear(16, 3, true, g));
                })
                .setOptimizer(params -> new dev.nn.optim.Adam(params, 0.02f))
                .setEpochs(30).setBatchSize(16).setSeed(1);
    }

    @Test
    void inAPipeline_withSparksOwnStages_learnsIris_andIsSavedAndLoaded() throws java.io.IOException {
        Dataset<Row> data = iris();
        PipelineStage[] stages = {
            new StringIndexer().setInputCol("species").setOutputCol("label"),
            new VectorAssembler().setInputCols(new String[] {"sepal_length", "sepal_width", "petal_length",
                "petal_width"}).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
            classifier(),
        };
        PipelineModel fitted = new Pipeline().setStages(stages).fit(data);
        Dataset<Row> out = fitted.transform(data);
        List<String> columns = Arrays.asList(out.columns());
        assertTrue(columns.contains("prediction") && columns.contains("probability"), columns.toString());
        long right = out.filter("prediction = label").count();
        assertTrue(right >= 0.9 * 150, right + " of 150 right");
        Row first = out.select("probability").first();
        double[] p = ((Vector) first.get(0)).toArray();
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-5);
        NnClassificationModel model = (NnClassificationModel) fitted.stages()[3];
        assertEquals(3, model.numClasses());

        // Saved and loaded with Spark ML persistence, the whole pipeline: the same predictions.
        String dir = tmp.resolve("iris-pipeline").toString();
        fitted.write().overwrite().save(dir);
        PipelineModel loaded = PipelineModel.load(dir);
        NnClassificationModel reloaded = (NnClassificationModel) loaded.stages()[3];
        assertEquals(model.module().stateDict(), reloaded.module().stateDict());
        assertEquals(model.uid(), reloaded.uid());
        List<Row> before = out.select("probability", "prediction").collectAsList();
        List<Row> after = loaded.transform(data).select("probability", "prediction").collectAsList();
        assertEquals(before, after);
        assertTrue(java.nio.file.Files.exists(tmp.resolve("iris-pipeline/stages/3_" + model.uid()
                + "/data/weights.safetensors")), "the weights are a safetensors file");
    }

    @Test
    void save_aModelNnSparkCannotDescribe_isRefusedBeforeWriting() {
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        Dataset<Row> data = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2), 0.0),
                RowFactory.create(Vectors.dense(2, 1), 1.0)), schema);
        NnClassificationModel m = new NnClassifier().setEpochs(1).setBatchSize(2).setModel(() -> new Sequential(
                new Linear(2, 2), dev.nn.layers.Activation.of("swish", x -> x.mul(x.sigmoid())))).fit(data);
        String dir = tmp.resolve("custom").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.write().save(dir));
        assertTrue(e.getMessage().startsWith("nn-spark: cannot describe model.1 (dev.nn.layers.Activation) to rebuild"
                + " it when loading; saved models are made of Sequential, Linear,"), e.getMessage());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("custom")), "nothing written");
    }

    @Test
    void arraysOfDoubles_areFeaturesToo_andTheSameRunTwiceGivesTheSameModel() {
        StructType schema = new StructType().add("f", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("y", DataTypes.DoubleType);
        List<Row> rows = new java.util.ArrayList<>();
        Generator g = new Generator(5);
        for (int i = 0; i < 60; i++) {
            int c = i % 3;
            rows.add(RowFactory.create(scala.jdk.javaapi.CollectionConverters.asScala(List.of(c + 0.1 * g.nextGaussian(),
                    -c + 0.1 * g.nextGaussian(), 1.0, 0.5)).toSeq(), (double) c));
        }
        Dataset<Row> data = spark.createDataFrame(rows, schema).repartition(2);
        NnClassifier c = classifier().setFeaturesCol("f").setLabelCol("y").setEpochs(5);
        NnClassificationModel a = c.fit(data);
        NnClassificationModel b = c.fit(data);
        assertEquals(a.module().stateDict(), b.module().stateDict());
        assertEquals(60, a.setFeaturesCol("f").transform(data).filter("prediction IS NOT NULL").count());
    }

    @Test
    void badInput_refusedWithClearErrors() {
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        Dataset<Row> ok = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3, 4), 0.0),
                RowFactory.create(Vectors.dense(4, 3, 2, 1), 1.0)), schema);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> classifier().setLabelCol("class").fit(ok));
        assertEquals("NnClassifier: no column \"class\" in [features, label]", missing.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> classifier().setFeaturesCol("label").fit(ok));
        assertEquals("NnClassifier: column \"label\" must hold features as a vector or an array of float or double,"
                + " but is double", type.getMessage());
        Dataset<Row> outOfRange = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3, 4), 0.0),
                RowFactory.create(Vectors.dense(4, 3, 2, 1), 5.0)), schema);
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(outOfRange));
        assertEquals("NnClassifier: label 5 is out of range for a model with 3 outputs (labels are class indices"
                + " 0..2)", range.getMessage());
        Dataset<Row> nulls = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3, 4), 0.0),
                RowFactory.create(null, 1.0)), schema);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> classifier().fit(nulls));
        assertEquals("NnClassifier: row 1 has no features (null)", none.getMessage());
        Dataset<Row> narrow = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3), 0.0),
                RowFactory.create(Vectors.dense(4, 3, 2), 1.0)), schema);
        dev.nn.core.ShapeException size = assertThrows(dev.nn.core.ShapeException.class,
                () -> classifier().fit(narrow));
        assertEquals("Sequential[0] Linear(in=4, out=16): input has 3 features, expected 4", size.getMessage());
        IllegalStateException noModel = assertThrows(IllegalStateException.class, () -> new NnClassifier().fit(ok));
        assertEquals("NnClassifier: no model; call setModel(() -> new Sequential(...)) first", noModel.getMessage());
    }
}
