/**
 * Primitive float loops behind {@code Tensor}, in BLIS's levels: elementwise kernels, packing,
 * GEMM micro-kernels and fused updates (one interface each, gathered by {@link dev.nn.core.kernel.Kernels}),
 * each with a scalar twin that is its specification, and the blocked {@code Gemm} above them.
 * Only the {@code Simd*} classes import {@code jdk.incubator.vector} here (users' function types
 * and the math they call are in {@code dev.nn.core.function}); nothing here knows of graphs.
 * Not API: the module exports it only to nn's own modules.
 */
package dev.nn.core.kernel;
