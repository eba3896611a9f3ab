package dev.nn.layers.loss;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import java.util.Arrays;

/**
 * The multiclass SVM (hinge) loss from scores {@code [batch, classes]} and class indices
 * {@code [batch]}: {@code loss_i = Σ_{j≠y} max(0, margin - z_y + z_j)^p / C} with p 1 or 2,
 * optionally scaled by a class weight {@code w[y]}; the mean is over samples (as PyTorch).
 */
public final class MultiMarginLoss implements Loss {

    private final Reduction reduction;
    private final int p;
    private final float margin;
    private final Tensor weights;

    /** Creates the loss with p = 1, margin 1, no weights and mean reduction. */
    public MultiMarginLoss() {
        this(Reduction.MEAN, 1, 1f, null);
    }

    /** Creates the loss with the given reduction, p (1 or 2), margin and class weights (or null). */
    public MultiMarginLoss(Reduction reduction, int p, float margin, Tensor weights) {
        if (p != 1 && p != 2) {
            throw new IllegalArgumentException("MultiMarginLoss: p must be 1 or 2, got " + p);
        }
        this.reduction = reduction;
        this.p = p;
        this.margin = margin;
        this.weights = Targets.classWeights("MultiMarginLoss", weights);
    }

    @Override
    public Variable forward(Variable input, Tensor target) {
        int[] labels = Targets.classIndices("MultiMarginLoss", input, target, false, 0);
        int n = labels.length;
        int classes = input.shape().dim(1);
        Targets.weightsMatch("MultiMarginLoss", weights, classes);
        float[] others = new float[n * classes];
        Arrays.fill(others, 1f / classes);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            others[i * classes + labels[i]] = 0f;                // the sum skips j = y
            w[i] = weights == null ? 1f : weights.get(labels[i]);
        }
        Variable correct = input.gather(labels).reshape(n, 1);
        Variable hinge = input.sub(correct).add(margin).relu();
        if (p == 2) {
            hinge = hinge.square();
        }
        Variable perSample = hinge.mul(Variable.of(others, n, classes)).sum(1, false);
        if (weights != null) {
            perSample = perSample.mul(Variable.of(w, n));
        }
        return reduction.apply(perSample);
    }
}
