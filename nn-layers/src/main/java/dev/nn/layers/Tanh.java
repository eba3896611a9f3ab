package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** Applies the hyperbolic tangent elementwise; any shape. */
public class Tanh extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.tanh();
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(Tanh.class, y, UnaryOp.TANH, 0f);
    }
}
