/**
 * Primitive float loops behind {@code Tensor}, in BLIS's levels: elementwise kernels, packing,
 * GEMM micro-kernels and fused updates (one interface each, gathered by {@link dev.nn.core.kernel.Kernels}),
 * each with a scalar twin that is its specification, and the blocked {@code Gemm} above them.
 * Only the {@code Simd*} classes import {@code jdk.incubator.vector}, with {@code VectorMath},
 * which users call in vector forms of their own functions (whose types are in
 * {@code dev.nn.core.function}); nothing here knows of graphs.
 */
package dev.nn.core.kernel;
