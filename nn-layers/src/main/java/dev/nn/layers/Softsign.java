package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** Applies {@code x / (1 + |x|)} elementwise; any shape. */
public class Softsign extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.softsign();
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(Softsign.class, y, UnaryOp.SOFTSIGN, 0f);
    }
}
