package dev.nn.core.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * The kernels on the Vector API, at the preferred species' width: elementwise loops, packing and
 * micro-kernels for panels two vectors wide, and the fused updates. Each repeats its scalar twin
 * operation for operation, so both give the same bits.
 *
 * <p>Only the classes named {@code Simd*} import {@code jdk.incubator.vector} here (the function
 * types users implement and {@code VectorMath} are in {@code dev.nn.core.function});
 * {@link KernelProvider} loads them, through a holder class, only when the module is present.
 */
final class SimdKernels implements Kernels {

    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    private final ElementwiseKernels elementwise = new SimdElementwise();
    private final PackKernels pack = new SimdPack();
    private final MicroKernels microKernels = new MicroKernels(2 * L, new SimdTile(), new SimdTallTile(),
            new SimdEdgeTiles.Narrow(), new SimdEdgeTiles.Quarter(), new SimdEdgeTiles.Columns(), new SimdRowTile());
    private final UpdateKernels updates = new SimdUpdates();

    @Override
    public String name() {
        return "simd(" + L + " lanes)";
    }

    @Override
    public ElementwiseKernels elementwise() {
        return elementwise;
    }

    @Override
    public PackKernels pack() {
        return pack;
    }

    @Override
    public MicroKernels microKernels() {
        return microKernels;
    }

    @Override
    public UpdateKernels updates() {
        return updates;
    }
}
