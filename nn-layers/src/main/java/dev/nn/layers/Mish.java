package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** Applies {@code x·tanh(softplus(x))} elementwise; any shape. */
public class Mish extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.mish();
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(Mish.class, y, UnaryOp.MISH, 0f);
    }
}
