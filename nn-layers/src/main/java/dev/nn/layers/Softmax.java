package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Applies softmax over the last dimension: each row sums to 1. */
public class Softmax extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.softmax();
    }
}
