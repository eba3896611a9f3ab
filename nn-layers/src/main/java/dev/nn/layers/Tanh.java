package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Applies the hyperbolic tangent elementwise; any shape. */
public class Tanh extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.tanh();
    }
}
