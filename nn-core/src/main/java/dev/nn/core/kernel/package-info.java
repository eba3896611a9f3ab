/**
 * Primitive float loops behind {@code Tensor}: the {@link dev.nn.core.kernel.Kernels} interface,
 * its scalar twin (the specification), its Vector API implementation and the blocked GEMM.
 * Only {@code SimdKernels} may import {@code jdk.incubator.vector}; nothing here knows of graphs.
 */
package dev.nn.core.kernel;
