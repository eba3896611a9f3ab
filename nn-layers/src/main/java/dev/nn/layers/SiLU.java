package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Applies {@code x·σ(x)} (SiLU, also called swish) elementwise; any shape. */
public class SiLU extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.silu();
    }
}
