package dev.nn.layers;

import dev.nn.autograd.Variable;
import dev.nn.core.ShapeException;

/** Flattens every dimension after the first: {@code [batch, d1, d2, ...]} to {@code [batch, d1·d2·...]} (a view). */
public class Flatten extends Module {

    @Override
    public Variable forward(Variable x) {
        if (x.shape().rank() == 0) {
            throw new ShapeException("Flatten(): needs a batch dimension, got shape []");
        }
        return x.reshape(x.shape().dim(0), -1);
    }
}
