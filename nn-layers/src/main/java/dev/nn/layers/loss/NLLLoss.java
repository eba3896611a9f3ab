package dev.nn.layers.loss;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;

/**
 * Negative log-likelihood from log-probabilities {@code [batch, classes]} and class indices
 * {@code [batch]}: {@code loss_i = -w[y_i]·input[i, y_i]}, optionally class-weighted, with an
 * ignored index; the mean divides by the total weight of the counted samples (as PyTorch).
 */
public final class NLLLoss implements Loss {

    private final Reduction reduction;
    private final Tensor weights;
    private final int ignoreIndex;

    /** Creates the loss with mean reduction, no class weights and ignore index -100. */
    public NLLLoss() {
        this(Reduction.MEAN, null, -100);
    }

    /** Creates the loss with the given reduction, class weights (or null) and ignored index. */
    public NLLLoss(Reduction reduction, Tensor weights, int ignoreIndex) {
        this.reduction = reduction;
        this.weights = Targets.classWeights("NLLLoss", weights);
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Variable forward(Variable input, Tensor target) {
        int[] labels = Targets.classIndices("NLLLoss", input, target, true, ignoreIndex);
        Targets.weightsMatch("NLLLoss", weights, input.shape().dim(1));
        return ClassLoss.negativeLogLikelihood(input, labels, weights, ignoreIndex, 0f, reduction);
    }
}
