/**
 * What turns gradients into better parameters: {@link dev.nn.optim.Optimizer}s with their
 * update rules exactly as PyTorch defines them, learning-rate schedules and gradient clipping.
 * Builds on nn-layers; knows nothing of the examples or benchmarks.
 */
package dev.nn.optim;
