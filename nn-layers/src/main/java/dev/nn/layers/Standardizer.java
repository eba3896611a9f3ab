package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Shape;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;

/**
 * Standardizes features: {@code y = (x - mean) / std} per column, with the mean and standard
 * deviation fitted on training data ({@link #fit}), like scikit-learn's {@code StandardScaler}
 * and Keras's {@code Normalization} layer. Put it first in the model, and the statistics are
 * saved, loaded and applied with the weights, so a reloaded model takes raw features:
 *
 * <pre>{@code
 * var model = new Sequential(Standardizer.fit(train.features()), new Linear(4, 16), new ReLU(),
 *         new Linear(16, 3));
 * }</pre>
 *
 * <p>Input {@code [batch, features]}, output the same shape. The statistics are buffers
 * {@code mean} and {@code std}, not parameters: optimizers leave them alone. A column that does
 * not vary gets std 1, so it becomes 0 rather than NaN.
 */
public final class Standardizer extends Module {

    private final int features;
    private final Tensor mean;
    private final Tensor std;

    /** Creates the layer for {@code features} columns with mean 0 and std 1, for loading fitted statistics into. */
    public Standardizer(int features) {
        if (features <= 0) {
            throw new IllegalArgumentException("Standardizer: features must be > 0, got " + features);
        }
        this.features = features;
        this.mean = registerBuffer("mean", Tensor.zeros(features));
        this.std = registerBuffer("std", Tensor.ones(features));
    }

    /**
     * Returns a layer with each column's mean and population standard deviation (divided by n, as
     * scikit-learn) of {@code x}, {@code [n, features]}, computed in double in two passes.
     *
     * @throws ShapeException if x is not 2-D with at least one row and one column
     * @throws IllegalArgumentException if x holds NaN or an infinity (naming the row and column)
     */
    public static Standardizer fit(Tensor x) {
        if (x.rank() != 2 || x.shape().dim(0) == 0 || x.shape().dim(1) == 0) {
            throw new ShapeException("Standardizer.fit: expects data [n, features] with n, features > 0, got "
                    + x.shape());
        }
        int n = x.shape().dim(0);
        int f = x.shape().dim(1);
        float[] a = x.toArray();
        double[] sum = new double[f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                float v = a[i * f + j];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("Standardizer.fit: row " + i + ", column " + j + " is " + v
                            + " (remove or fill missing values first)");
                }
                sum[j] += v;
            }
        }
        double[] squares = new double[f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double d = a[i * f + j] - sum[j] / n;
                squares[j] += d * d;
            }
        }
        float[] means = new float[f];
        float[] stds = new float[f];
        for (int j = 0; j < f; j++) {
            means[j] = (float) (sum[j] / n);
            float s = (float) Math.sqrt(squares[j] / n);
            stds[j] = s > 0 ? s : 1f;
        }
        Standardizer layer = new Standardizer(f);
        layer.mean.copyInPlace(Tensor.of(means, f));
        layer.std.copyInPlace(Tensor.of(stds, f));
        return layer;
    }

    /** Returns the fitted column means, {@code [features]} (a copy). */
    public Tensor mean() {
        return mean.copy();
    }

    /** Returns the fitted column standard deviations, {@code [features]} (a copy). */
    public Tensor std() {
        return std.copy();
    }

    /** Returns {@code (x - mean) / std} for data {@code [n, features]}, without a graph. */
    public Tensor transform(Tensor x) {
        check(x.shape());
        return x.sub(mean).div(std);
    }

    @Override
    public Variable forward(Variable x) {
        check(x.shape());
        return x.sub(Variable.of(mean)).div(Variable.of(std));
    }

    private void check(Shape shape) {
        if (shape.rank() != 2 || shape.dim(1) != features) {
            throw new ShapeException(describe() + ": expects input [batch, " + features + "], got " + shape);
        }
    }

    @Override
    protected String describe() {
        return "Standardizer(features=" + features + ")";
    }
}
