/**
 * The functions a user writes for an elementwise operation of their own: scalar forms
 * ({@link dev.nn.core.function.FloatFunction}, {@link dev.nn.core.function.FloatBiFunction}) and
 * {@code FloatVector} forms for SIMD speed. Kernels compile each into loops of its own; nothing
 * here depends on the rest of nn.
 */
package dev.nn.core.function;
