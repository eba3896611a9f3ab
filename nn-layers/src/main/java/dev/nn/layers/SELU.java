package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** Applies SELU elementwise, with PyTorch's α and λ; any shape. */
public class SELU extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.selu();
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(SELU.class, y, UnaryOp.SELU, 0f);
    }
}
