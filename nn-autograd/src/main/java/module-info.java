/** Variables that remember how they were made, their operations' local gradients, and backward. */
module dev.nn.autograd {
    requires transitive dev.nn.core;

    exports dev.nn.autograd;
}
