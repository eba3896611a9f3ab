package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Applies SELU elementwise, with PyTorch's α and λ; any shape. */
public class SELU extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.selu();
    }
}
