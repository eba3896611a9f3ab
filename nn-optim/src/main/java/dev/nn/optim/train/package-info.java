/**
 * The reusable training loop: {@link dev.nn.optim.train.Trainer}, its {@link dev.nn.optim.train.History},
 * metrics, and callbacks through one listener interface. Builds on nn-layers and the optimizers;
 * prints nothing except through slf4j or the progress bar.
 */
package dev.nn.optim.train;
