package dev.nn.layers;

import dev.nn.autograd.Variable;

/** Applies log-softmax over the last dimension (stable: {@code x - max - log Σ e^(x - max)}). */
public class LogSoftmax extends Module {

    @Override
    public Variable forward(Variable x) {
        return x.logSoftmax();
    }
}
