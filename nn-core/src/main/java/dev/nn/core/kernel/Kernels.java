package dev.nn.core.kernel;

/**
 * One implementation's kernels, level by level as BLIS lays them out: elementwise loops and
 * reductions, packing, GEMM micro-kernels and fused optimizer updates. {@link Gemm} is the
 * blocking framework above the packing and micro-kernels.
 *
 * <p>Two implementations exist: {@link ScalarKernels}, plain loops that are the specification,
 * and {@code SimdKernels} on the Vector API. For the same inputs they return bit-identical
 * results; {@link KernelProvider} picks one per JVM.
 */
public interface Kernels {

    /** Returns a short name for logs and benchmarks, for example {@code simd(8 lanes)}. */
    String name();

    /** Returns the elementwise loops and reductions. */
    ElementwiseKernels elementwise();

    /** Returns the packing kernels; their panel width is the micro-kernels'. */
    PackKernels pack();

    /** Returns the GEMM micro-kernels. */
    MicroKernels microKernels();

    /** Returns the fused optimizer updates. */
    UpdateKernels updates();
}
