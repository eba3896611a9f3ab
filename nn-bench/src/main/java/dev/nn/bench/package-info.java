/**
 * JMH benchmarks of the kernels, GEMM, a layer, autograd and a training step, each reported
 * beside its anchor from the same run. Every benchmark forks with the same fixed flags, in
 * {@code @Fork(jvmArgs)}: the incubator module and a fixed, pre-touched 2 GB heap (first touches
 * of fresh memory fault slowly on these virtual machines). Per-run settings, such as
 * {@code -Dnn.threads}, go in through JMH's {@code -jvmArgsAppend}, which replaces an annotation's
 * {@code jvmArgsAppend} but keeps its {@code jvmArgs}. The runners ({@code jmh.py}) always add
 * JMH's GC profiler, so every figure comes with the bytes its operation allocated. Depends on
 * the library modules; nothing depends on it.
 */
package dev.nn.bench;
