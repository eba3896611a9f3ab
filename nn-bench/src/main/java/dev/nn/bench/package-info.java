/**
 * JMH benchmarks of the kernels and GEMM, each reported beside its anchor from the same run.
 * Depends on the library modules; nothing depends on it.
 */
package dev.nn.bench;
