/**
 * Loss functions from a prediction and a target to a {@link dev.nn.autograd.Variable}, in their
 * numerically stable forms, with PyTorch's reductions. Knows nothing of optimizers.
 */
package dev.nn.layers.loss;
