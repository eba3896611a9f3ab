package dev.nn.spark;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import dev.nn.layers.Module;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/** What NnClassifier and NnRegressor share in fitting: rows to Examples, the model's width, Spark's errors. */
final class Fitting {

    private Fitting() {
    }

    /**
     * Returns the rows as Examples numbered by {@code zipWithIndex}, persisted; a task converting a
     * row with null features or label, or (for {@code classIndex}) a label that is not a whole number
     * from 0, or (otherwise) a label that is not finite, fails naming the row.
     */
    static JavaRDD<Example> examples(Dataset<?> dataset, String featuresCol, String labelCol, String owner,
                                     boolean classIndex) {
        return dataset.select(featuresCol, labelCol).toJavaRDD().zipWithIndex().map(indexed -> {
            Row row = indexed._1();
            long i = indexed._2();
            float[] features = Columns.features(row.get(0));
            if (features == null) {
                throw new IllegalArgumentException(owner + ": row " + i + " has no features (null)");
            }
            if (row.isNullAt(1)) {
                throw new IllegalArgumentException(owner + ": row " + i + " has no label (null)");
            }
            double label = ((Number) row.get(1)).doubleValue();
            if (classIndex && (!(label >= 0) || label != Math.rint(label) || label > 1 << 24)) {
                throw new IllegalArgumentException(owner + ": row " + i + " has label " + label + ", not a class"
                        + " index (a whole number from 0)");
            }
            if (!classIndex && !Double.isFinite(label)) {
                throw new IllegalArgumentException(owner + ": row " + i + " has label " + label + ", not a finite"
                        + " number");
            }
            return new Example(i, features, new float[] {(float) label});
        }).persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** Returns the width of the model's output for one row of {@code features} values (a forward on the driver). */
    static int outputs(Factory<Module> model, int features) {
        Module m = model.create();
        m.eval();
        try (var scope = Autograd.noGrad()) {
            Tensor out = m.forward(Variable.of(Tensor.zeros(1, features))).value();
            return out.rank() == 2 ? out.shape().dim(1) : 1;
        }
    }

    /** Returns the user's own error from inside a failed Spark job, where there is one. */
    static RuntimeException unwrap(String owner, SparkException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof ShapeException) {
                return (RuntimeException) t;
            }
        }
        return new IllegalStateException(owner + ": the Spark job failed: " + e.getMessage(), e);
    }

    /** Runs {@code action}, turning a Spark job's failure into the user's own error. */
    static <T> T unwrapping(String owner, SparkAction<T> action) {
        try {
            return action.run();
        } catch (SparkException e) {
            throw unwrap(owner, e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SparkException s) {
                throw unwrap(owner, s);
            }
            throw e;
        }
    }

    /** An action that runs Spark jobs. */
    interface SparkAction<T> {
        T run() throws SparkException;
    }
}
