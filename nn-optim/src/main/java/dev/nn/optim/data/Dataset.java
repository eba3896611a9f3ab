package dev.nn.optim.data;

import dev.nn.core.Generator;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import java.util.Arrays;

/**
 * Samples held in memory: features {@code [n, ...]} and targets {@code [n, ...]} (values, or class
 * indices as exact floats), row i of each being sample i.
 */
public final class Dataset {

    private final Tensor features;
    private final Tensor targets;

    /** Creates a dataset; the two tensors must have the same number of rows. */
    public Dataset(Tensor features, Tensor targets) {
        if (features.rank() == 0 || targets.rank() == 0 || features.shape().dim(0) != targets.shape().dim(0)) {
            throw new ShapeException("Dataset: features " + features.shape() + " and targets " + targets.shape()
                    + " must have the same number of rows");
        }
        this.features = features;
        this.targets = targets;
    }

    /** Returns the number of samples. */
    public int size() {
        return features.shape().dim(0);
    }

    /** Returns the features, {@code [n, ...]}. */
    public Tensor features() {
        return features;
    }

    /** Returns the targets, {@code [n, ...]}. */
    public Tensor targets() {
        return targets;
    }

    /** Returns the samples at {@code indices}, in that order, as a batch (copied). */
    public Batch batch(int[] indices) {
        return new Batch(features.selectRows(indices), targets.selectRows(indices));
    }

    /** Returns the samples at {@code indices} as a new dataset (copied). */
    public Dataset subset(int[] indices) {
        Batch b = batch(indices);
        return new Dataset(b.features(), b.targets());
    }

    /** The two parts of a {@link #split}. */
    public record Split(Dataset train, Dataset validation) {
    }

    /**
     * Returns a random split: {@code round(validationFraction·n)} samples, drawn with a
     * generator seeded by {@code seed}, form the validation part, the rest (in their original
     * order) the training part.
     */
    public Split split(float validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("split: validationFraction must be in (0, 1), got " + validationFraction);
        }
        int n = size();
        int v = Math.round(validationFraction * n);
        int[] order = DataLoader.permutation(n, new Generator(seed));
        boolean[] inValidation = new boolean[n];
        int[] val = new int[v];
        for (int i = 0; i < v; i++) {
            val[i] = order[i];
            inValidation[order[i]] = true;
        }
        Arrays.sort(val);
        int[] train = new int[n - v];
        for (int i = 0, k = 0; i < n; i++) {
            if (!inValidation[i]) {
                train[k++] = i;
            }
        }
        return new Split(subset(train), subset(val));
    }
}
