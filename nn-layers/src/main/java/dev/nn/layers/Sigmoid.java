package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Applies {@code 1 / (1 + e⁻ˣ)} elementwise; any shape. */
public class Sigmoid extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.sigmoid();
    }
}
