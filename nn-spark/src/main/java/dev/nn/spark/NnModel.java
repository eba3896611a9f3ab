package dev.nn.spark;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.layers.Module;
import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;

/**
 * What {@link NnClassificationModel} and {@link NnRegressionModel} share: the trained nn model (its
 * factory and weights), the features and prediction columns, running the model on executors, and
 * Spark ML persistence ({@link ModelFiles}). Public because Spark ML reads params through public
 * methods.
 *
 * @param <M> the model itself, which its setters return
 */
public abstract class NnModel<M extends NnModel<M>> extends Model<M> implements MLWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    final Factory<Module> factory;
    final Tasks.Named weights;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;

    NnModel(String uid, Factory<Module> factory, Tasks.Named weights) {
        this.uid = uid;
        this.factory = factory;
        this.weights = weights;
        featuresCol = new Param<>(uid, "featuresCol", "features column: a vector, or an array of float or double");
        predictionCol = new Param<>(uid, "predictionCol", "prediction column this adds");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
    }

    /** Returns this model, typed as itself. */
    abstract M self();

    /** Returns the width of the nn model's output, saved with it. */
    abstract int outputs();

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

    /** Sets the features column. */
    public M setFeaturesCol(String value) {
        set(featuresCol, value);
        return self();
    }

    /** Sets the prediction column this adds. */
    public M setPredictionCol(String value) {
        set(predictionCol, value);
        return self();
    }

    /** Returns a new copy of the trained nn model, with the trained weights. */
    public Module module() {
        Module m = factory.create();
        m.loadStateDict(weights.tensors());
        return m;
    }

    /** Returns the model's forward pass for executors, its weights broadcast on {@code dataset}'s cluster. */
    Forward forward(Dataset<?> dataset) {
        Broadcast<Tasks.Named> shared = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
                .broadcast(weights);
        return new Forward(factory, shared);
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** The nn model on an executor: built on first use in each task from the factory and the broadcast weights. */
    static final class Forward implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Factory<Module> factory;
        private final Broadcast<Tasks.Named> weights;
        private transient Module module;

        Forward(Factory<Module> factory, Broadcast<Tasks.Named> weights) {
            this.factory = factory;
            this.weights = weights;
        }

        /** Returns the model's outputs for one row's features, in evaluation mode without a graph; null for null. */
        float[] apply(Object features) {
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
                Tensor out = module.forward(Variable.of(Tensor.of(x, 1, x.length))).value();
                return out.toArray();
            }
        }
    }

    private static final class Writer extends MLWriter {
        private final NnModel<?> instance;

        Writer(NnModel<?> instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            ModelFiles.save(instance.getClass().getSimpleName(), instance, instance.module(), instance.outputs(), path,
                    sparkSession());
        }
    }
}
