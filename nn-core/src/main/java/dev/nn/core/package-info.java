/**
 * Plain float32 n-dimensional arrays: {@link dev.nn.core.Shape}, {@link dev.nn.core.Tensor} and
 * seeded random numbers. No notion of gradients, graphs or layers lives here.
 */
package dev.nn.core;
