package dev.nn.layers;

import dev.nn.autograd.Parameter;
import dev.nn.autograd.Variable;
import dev.nn.core.Shape;
import dev.nn.core.ShapeException;
import dev.nn.core.Tensor;
import java.util.Arrays;

/**
 * Layer normalization over the trailing dimensions {@code normalizedShape} of each sample:
 * {@code y = (x - μ)/√(σ² + eps)·γ + β}, with μ and σ² (two passes, biased) taken per sample
 * over those dimensions; the same in training and evaluation.
 */
public class LayerNorm extends Module {

    private final int[] normalized;
    private final int size;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /** Creates the layer over the trailing dimensions {@code normalizedShape}, eps 1e-5, learned scale and shift. */
    public LayerNorm(int... normalizedShape) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: needs at least one normalized dimension");
        }
        this.normalized = normalizedShape.clone();
        this.size = Shape.of(normalizedShape).size();
        this.eps = 1e-5f;
        this.weight = registerParameter("weight", new Parameter(Tensor.ones(normalizedShape)));
        this.bias = registerParameter("bias", new Parameter(Tensor.zeros(normalizedShape)));
    }

    @Override
    public Variable forward(Variable x) {
        int[] dims = x.shape().dims();
        int lead = dims.length - normalized.length;
        if (lead < 0 || !Arrays.equals(Arrays.copyOfRange(dims, lead, dims.length), normalized)) {
            throw new ShapeException(describe() + ": input " + x.shape() + " does not end with "
                    + Shape.of(normalized));
        }
        Variable rows = x.reshape(-1, size);
        Variable centered = rows.sub(rows.mean(1, true));
        Variable var = centered.square().mean(1, true);
        Variable y = centered.div(var.add(eps).sqrt()).mul(weight.reshape(size)).add(bias.reshape(size));
        return y.reshape(dims);
    }

    @Override
    protected String describe() {
        return "LayerNorm(" + Shape.of(normalized) + ")";
    }
}
