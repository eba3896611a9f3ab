package dev.nn.layers;

import dev.nn.core.Generator;

/**
 * A module that draws random numbers while training (such as {@link Dropout}). Training
 * checkpoints save and restore its generator so that a resumed run draws what the uninterrupted
 * run would have drawn.
 */
public interface Stochastic {

    /** Returns the generator the module draws from. */
    Generator generator();
}
