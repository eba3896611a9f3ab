package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** Applies {@code log(1 + eˣ)} elementwise, finite for every finite x; any shape. */
public class Softplus extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.softplus();
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(Softplus.class, y, UnaryOp.SOFTPLUS, 0f);
    }
}
