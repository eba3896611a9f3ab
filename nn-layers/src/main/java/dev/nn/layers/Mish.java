package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Applies {@code x·tanh(softplus(x))} elementwise; any shape. */
public class Mish extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.mish();
    }
}
