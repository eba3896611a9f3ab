package dev.nn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nn.core.Generator;
import dev.nn.layers.Linear;
import dev.nn.layers.Sequential;
import dev.nn.layers.Tanh;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.junit.jupiter.api.io.TempDir;

/** The regressor: learns a plane, saves and loads, refuses what it cannot fit. */
class NnRegressorTest {

    static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2,4]").appName("nn-spark regression tests")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static final StructType SCHEMA = new StructType().add("features", new VectorUDT()).add("y", DataTypes.DoubleType);

    /** y = 2a - b + 0.5 over points in [-1, 1]². */
    static Dataset<Row> plane(int n) {
        Generator g = new Generator(9);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = 2 * g.nextFloat() - 1;
            double b = 2 * g.nextFloat() - 1;
            rows.add(RowFactory.create(Vectors.dense(a, b), 2 * a - b + 0.5));
        }
        return spark.createDataFrame(rows, SCHEMA).repartition(2);
    }

    static NnRegressor regressor() {
        return regressor(4);
    }

    static NnRegressor regressor(long initSeed) {
        return new NnRegressor().setLabelCol("y")
                .setModel(() -> {
                    Generator g = new Generator(initSeed);
                    return new Sequential(new Linear(2, 8, true, g), new Tanh(), new Linear(8, 1, true, g));
                })
                .setOptimizer(params -> new dev.nn.optim.Adam(params, 0.05f)).setEpochs(40).setBatchSize(32).setSeed(2);
    }

    @Test
    void learnsAPlane_andTheSavedModelPredictsTheSame() throws java.io.IOException {
        Dataset<Row> data = plane(200);
        NnRegressionModel model = regressor().fit(data);
        Dataset<Row> out = model.transform(data);
        double mse = out.selectExpr("avg((prediction - y) * (prediction - y))").first().getDouble(0);
        assertTrue(mse < 0.01, "mean squared error " + mse);
        String dir = tmp.resolve("plane").toString();
        model.write().overwrite().save(dir);
        NnRegressionModel loaded = NnRegressionModel.load(dir);
        assertEquals(out.select("prediction").collectAsList(), loaded.transform(data).select("prediction").collectAsList());
    }

    @Test
    void aFitWithACheckpointDir_resumesWhereTheLastOneStopped() {
        Dataset<Row> data = plane(120);
        List<Row> straight = regressor().setEpochs(6).fit(data).transform(data).select("prediction").collectAsList();
        String dir = tmp.resolve("checkpoints").toString();
        regressor().setEpochs(4).setCheckpointDir(dir).setCheckpointInterval(3).fit(data);
        assertTrue(java.nio.file.Files.exists(tmp.resolve("checkpoints").resolve("latest")));
        // Other initial weights: only the checkpoint's can give the uninterrupted run's predictions.
        NnRegressor more = regressor(5).setEpochs(6).setCheckpointDir(dir);
        assertEquals(dir, more.getOrDefault(more.checkpointDir()));
        List<Row> resumed = more.fit(data).transform(data).select("prediction").collectAsList();
        assertEquals(straight, resumed);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> regressor().setCheckpointInterval(-1));
        assertEquals("DataParallel: checkpoint everySteps must be >= 0, got -1", bad.getMessage());
    }

    @Test
    void badInput_refusedWithClearErrors() {
        Dataset<Row> data = plane(10);
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> regressor()
                .setModel(() -> new Sequential(new Linear(2, 3))).fit(data));
        assertEquals("NnRegressor: the model has 3 outputs; a regressor predicts one (end it with a Linear(..., 1))",
                wide.getMessage());
        Dataset<Row> nan = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2), 0.5),
                RowFactory.create(Vectors.dense(2, 1), Double.NaN)), SCHEMA);
        IllegalArgumentException notFinite = assertThrows(IllegalArgumentException.class, () -> regressor().fit(nan));
        assertEquals("NnRegressor: row 1 has label NaN, not a finite number", notFinite.getMessage());
        IllegalArgumentException noLabel = assertThrows(IllegalArgumentException.class,
                () -> regressor().setLabelCol("label").fit(data));
        assertEquals("NnRegressor: no column \"label\" in [features, y]", noLabel.getMessage());
    }
}
