package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Applies {@code log(1 + eˣ)} elementwise, finite for every finite x; any shape. */
public class Softplus extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.softplus();
    }
}
