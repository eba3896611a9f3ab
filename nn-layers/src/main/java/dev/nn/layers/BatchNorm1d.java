package dev.nn.layers;

import dev.nn.autograd.Autograd;
import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;

/**
 * Batch normalization over a {@code [batch, features]} input: {@code y = (x - μ)/√(σ² + eps)·γ + β}.
 * In training mode μ and σ² are the batch's (the variance in two passes, biased), and the running
 * statistics move by {@code momentum} towards them (the running variance unbiased, as PyTorch);
 * in evaluation mode the running statistics are used. Buffers {@code running_mean},
 * {@code running_var} and {@code num_batches_tracked} are saved with the weights.
 */
public class BatchNorm1d extends Module {

    private final int features;
    private final float eps;
    private final float momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batches;

    /** Creates the layer with eps 1e-5, momentum 0.1 and a learned scale and shift. */
    public BatchNorm1d(int features) {
        this(features, 1e-5f, 0.1f);
    }

    /** Creates the layer with the given eps and momentum and a learned scale and shift. */
    public BatchNorm1d(int features, float eps, float momentum) {
        if (features <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm1d: needs features > 0, eps > 0 and momentum in [0, 1], got "
                    + features + ", " + eps + ", " + momentum);
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = registerParameter("weight", new Parameter(Tensor.ones(features)));
        this.bias = registerParameter("bias", new Parameter(Tensor.zeros(features)));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(features));
        this.runningVar = registerBuffer("running_var", Tensor.ones(features));
        this.batches = registerBuffer("num_batches_tracked", Tensor.scalar(0f));
    }

    @Override
    public Variable forward(Variable x) {
        if (x.shape().rank() != 2 || x.shape().dim(1) != features) {
            throw new ShapeException(describe() + ": expects input [batch, " + features + "], got " + x.shape());
        }
        int n = x.shape().dim(0);
        if (!isTraining()) {
            Variable mean = Variable.of(runningMean);
            Variable std = Variable.of(runningVar.add(Tensor.scalar(eps)).sqrt());
            return x.sub(mean).div(std).mul(weight).add(bias);
        }
        if (n < 2) {
            throw new ShapeException(describe() + ": training needs more than 1 sample per feature, got a batch of "
                    + n + " (call eval() to normalize single samples)");
        }
        Variable mean = x.mean(0, true);
        Variable centered = x.sub(mean);
        Variable var = centered.square().mean(0, true);               // two passes: exact for large offsets
        Variable y = centered.div(var.add(eps).sqrt()).mul(weight).add(bias);
        updateRunningStatistics(mean.value(), var.value(), n);
        return y;
    }

    private void updateRunningStatistics(Tensor mean, Tensor var, int n) {
        try (var scope = Autograd.noGrad()) {
            Tensor keep = Tensor.scalar(1f - momentum);
            Tensor m = Tensor.scalar(momentum);
            Tensor unbiased = var.mul(Tensor.scalar((float) n / (n - 1))).reshape(features);
            Tensor newMean = runningMean.mul(keep).add(mean.reshape(features).mul(m));
            Tensor newVar = runningVar.mul(keep).add(unbiased.mul(m));
            runningMean.copyInPlace(newMean);
            runningVar.copyInPlace(newVar);
            batches.copyInPlace(Tensor.scalar(batches.item() + 1f));
        }
    }

    /** Returns the running mean, {@code [features]}. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** Returns the running variance, {@code [features]}. */
    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    protected String describe() {
        return "BatchNorm1d(" + features + ")";
    }
}
