package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** Applies {@code 1 / (1 + e⁻ˣ)} elementwise; any shape. */
public class Sigmoid extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.sigmoid();
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(Sigmoid.class, y, UnaryOp.SIGMOID, 0f);
    }
}
