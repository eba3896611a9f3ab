package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Applies {@code max(x, 0)} elementwise; any shape. */
public class ReLU extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.relu();
    }
}
