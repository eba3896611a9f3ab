/**
 * Primitive float loops behind {@code Tensor}: the {@link dev.nn.core.kernel.Kernels} interface,
 * its scalar twin (the specification), its Vector API implementation and the blocked GEMM.
 * Only {@code SimdKernels} imports {@code jdk.incubator.vector}, and {@code VectorFunction}, the
 * type users implement for vector forms of their own functions; nothing here knows of graphs.
 */
package dev.nn.core.kernel;
