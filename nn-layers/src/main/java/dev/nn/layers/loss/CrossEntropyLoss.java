package dev.nn.layers.loss;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;

/**
 * Cross-entropy from logits {@code [batch, classes]} and class indices {@code [batch]}, computed
 * stably as {@code logsumexp(z) - z_y} (never {@code log(softmax)}): logits of ±1e4 give a finite
 * loss, and each row's gradient is {@code softmax - onehot}. Options as PyTorch's: class weights,
 * an ignored index (default -100), label smoothing ε (the target becomes
 * {@code (1 - ε)·onehot + ε/C}), and the reduction.
 *
 * <pre>{@code
 * var loss = new CrossEntropyLoss().withLabelSmoothing(0.1f).withIgnoreIndex(255);
 * }</pre>
 */
public final class CrossEntropyLoss implements Loss {

    private final Reduction reduction;
    private final Tensor weights;
    private final int ignoreIndex;
    private final float smoothing;

    /** Creates the loss with mean reduction, no class weights, ignore index -100 and no smoothing. */
    public CrossEntropyLoss() {
        this(Reduction.MEAN, null, -100, 0f);
    }

    /** Creates the loss with the given reduction and the other defaults. */
    public CrossEntropyLoss(Reduction reduction) {
        this(reduction, null, -100, 0f);
    }

    private CrossEntropyLoss(Reduction reduction, Tensor weights, int ignoreIndex, float smoothing) {
        if (!(smoothing >= 0f && smoothing <= 1f)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1], got " + smoothing);
        }
        this.reduction = reduction;
        this.weights = Targets.classWeights("CrossEntropyLoss", weights);
        this.ignoreIndex = ignoreIndex;
        this.smoothing = smoothing;
    }

    /** Returns this loss with per-class weights {@code [classes]}. */
    public CrossEntropyLoss withWeights(Tensor classWeights) {
        return new CrossEntropyLoss(reduction, classWeights, ignoreIndex, smoothing);
    }

    /** Returns this loss ignoring samples whose label is {@code index}. */
    public CrossEntropyLoss withIgnoreIndex(int index) {
        return new CrossEntropyLoss(reduction, weights, index, smoothing);
    }

    /** Returns this loss with label smoothing ε in [0, 1]. */
    public CrossEntropyLoss withLabelSmoothing(float epsilon) {
        return new CrossEntropyLoss(reduction, weights, ignoreIndex, epsilon);
    }

    @Override
    public Variable forward(Variable input, Tensor target) {
        int[] labels = Targets.classIndices("CrossEntropyLoss", input, target, true, ignoreIndex);
        Targets.weightsMatch("CrossEntropyLoss", weights, input.shape().dim(1));
        return ClassLoss.negativeLogLikelihood(input.logSoftmax(), labels, weights, ignoreIndex, smoothing, reduction);
    }
}
