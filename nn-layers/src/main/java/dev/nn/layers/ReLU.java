package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** Applies {@code max(x, 0)} elementwise; any shape. */
public class ReLU extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.relu();
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(ReLU.class, y, UnaryOp.RELU, 0f);
    }
}
