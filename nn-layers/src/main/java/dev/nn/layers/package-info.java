/**
 * Networks as modules: {@link dev.nn.layers.Module}, {@link dev.nn.layers.Sequential},
 * {@link dev.nn.layers.Linear}, activations and the {@link dev.nn.layers.Activation} extension
 * point, dropout and normalization. Builds on nn-autograd; knows nothing of optimizers or training loops.
 */
package dev.nn.layers;
