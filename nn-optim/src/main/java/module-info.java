/** Optimizers, schedules, data loading and the Trainer. */
module dev.nn.optim {
    requires transitive dev.nn.layers;
    requires org.slf4j;

    exports dev.nn.optim;
    exports dev.nn.optim.data;
    exports dev.nn.optim.train;
}
