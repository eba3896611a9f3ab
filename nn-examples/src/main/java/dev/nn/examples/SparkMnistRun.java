package dev.nn.examples;

import dev.nn.layers.Sequential;
import dev.nn.layers.loss.CrossEntropyLoss;
import dev.nn.optim.Adam;
import dev.nn.optim.data.Dataset;
import dev.nn.optim.data.Idx;
import dev.nn.optim.train.Trainer;
import dev.nn.spark.NnClassificationModel;
import dev.nn.spark.NnClassifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark side of {@link SparkMnist}: every use of Spark's types is here, so that the examples'
 * command line, which picocli builds by reflecting on each command's class, loads without Spark on
 * the class path (the examples' jar does not contain it).
 */
final class SparkMnistRun {

    private SparkMnistRun() {
    }

    static SparkMnist.Result run(SparkMnist o) throws Exception {
        Dataset train = Idx.images(SparkMnist.file(o.data, "train-images-idx3-ubyte"),
                SparkMnist.file(o.data, "train-labels-idx1-ubyte"));
        Dataset test = Idx.images(SparkMnist.file(o.data, "t10k-images-idx3-ubyte"),
                SparkMnist.file(o.data, "t10k-labels-idx1-ubyte"));
        if (o.limit > 0 && o.limit < train.size()) {
            train = new Dataset(train.features().rows(0, o.limit), train.targets().rows(0, o.limit));
        }
        SparkSession spark = SparkSession.builder().appName("nn spark-mnist").master(
                System.getProperty("spark.master", o.master)).config("spark.ui.enabled", "false").getOrCreate();
        try {
            int partitions = spark.sparkContext().defaultParallelism();
            var trainFrame = spark.createDataFrame(rows(train), SCHEMA).repartition(partitions).cache();
            var testFrame = spark.createDataFrame(rows(test), SCHEMA);
            trainFrame.count();                                   // materialized before the clock starts
            long started = System.nanoTime();
            NnClassifier classifier = new NnClassifier().setModel(SparkMnist::mlp)
                    .setOptimizer(params -> new Adam(params, 1e-3f)).setEpochs(o.epochs).setBatchSize(o.batchSize)
                    .setLocalSteps(o.localSteps).setSeed(1);
            if (o.checkpoints != null) {
                classifier.setCheckpointDir(o.checkpoints.toString());
            }
            NnClassificationModel model = classifier.fit(trainFrame);
            double sparkSeconds = (System.nanoTime() - started) / 1e9;
            double sparkAccuracy = (double) model.transform(testFrame).filter("prediction = label").count()
                    / test.size();
            Sequential single = SparkMnist.mlp();
            Trainer trainer = Trainer.builder().model(single).loss(new CrossEntropyLoss())
                    .optimizer(new Adam(single.parameters(), 1e-3f)).epochs(o.epochs).batchSize(o.batchSize).seed(1)
                    .build();
            started = System.nanoTime();
            trainer.fit(train);
            double trainerSeconds = (System.nanoTime() - started) / 1e9;
            double samples = (double) train.size() * o.epochs;
            return new SparkMnist.Result(sparkAccuracy, samples / sparkSeconds, trainer.evaluate(test).accuracy(),
                    samples / trainerSeconds, trainFrame.rdd().getNumPartitions());
        } finally {
            spark.stop();
        }
    }

    private static final StructType SCHEMA = new StructType().add("features", new VectorUDT())
            .add("label", DataTypes.DoubleType);

    private static List<Row> rows(Dataset d) {
        int f = d.features().size() / d.size();
        float[] x = d.features().toArray();
        float[] y = d.targets().toArray();
        List<Row> rows = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            double[] v = new double[f];
            for (int k = 0; k < f; k++) {
                v[k] = x[i * f + k];
            }
            rows.add(RowFactory.create(Vectors.dense(v), (double) y[i]));
        }
        return rows;
    }
}
