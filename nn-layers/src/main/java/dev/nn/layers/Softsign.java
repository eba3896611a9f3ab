package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Applies {@code x / (1 + |x|)} elementwise; any shape. */
public class Softsign extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.softsign();
    }
}
