package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.Tensor;
import dev.nn.core.kernel.UnaryOp;

/** Applies {@code x·σ(x)} (SiLU, also called swish) elementwise; any shape. */
public class SiLU extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.silu();
    }

    @Override
    boolean forwardInPlace(Tensor y) {
        return applyInPlace(SiLU.class, y, UnaryOp.SILU, 0f);
    }
}
