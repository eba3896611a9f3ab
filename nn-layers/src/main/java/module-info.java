/** Modules, activations, losses, initializers and weight files. */
module dev.nn.layers {
    requires transitive dev.nn.autograd;

    exports dev.nn.layers;
    exports dev.nn.layers.init;
    exports dev.nn.layers.io;
    exports dev.nn.layers.loss;
}
