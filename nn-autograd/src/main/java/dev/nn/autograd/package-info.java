/**
 * Reverse-mode automatic differentiation: {@link dev.nn.autograd.Variable} records the
 * operations (gates) that made it, and {@code backward()} applies the chain rule through them.
 * Builds on nn-core only; knows nothing of modules, losses or optimizers.
 */
package dev.nn.autograd;
