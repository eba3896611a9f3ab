/**
 * The functions a user writes for an elementwise operation of their own: scalar forms
 * ({@link dev.nn.core.function.FloatFunction}, {@link dev.nn.core.function.FloatBiFunction}) and
 * {@code FloatVector} forms for SIMD speed, and the math they may call ({@link dev.nn.core.function.FloatMath},
 * {@link dev.nn.core.function.VectorMath}: the polynomials of nn's built-in activations). Kernels
 * compile each function into loops of its own.
 */
package dev.nn.core.function;
