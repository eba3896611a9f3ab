package dev.nn.core.kernel;

/**
 * The scalar twin: plain loops that define what every kernel computes.
 *
 * <p>It is the reference the SIMD kernels are tested against and the fallback when the
 * {@code jdk.incubator.vector} module is absent. Its GEMM kernels take any panel width NR (a
 * multiple of 2·MR), and every width gives the same bits; tests make it 16 or 32, the SIMD
 * kernels' widths at 8 and 16 lanes, so that every path {@link Gemm} takes for some width runs on
 * any machine.
 */
public final class ScalarKernels implements Kernels {

    /** The instance the provider hands out, with panels 8 wide. */
    public static final ScalarKernels INSTANCE = new ScalarKernels(8);

    private final int nr;
    private final PackKernels pack;
    private final MicroKernels microKernels;

    ScalarKernels(int nr) {
        if (nr < 2 * PackKernels.MR || nr % (2 * PackKernels.MR) != 0) {
            throw new IllegalArgumentException("scalar kernels: panel width must be a positive multiple of "
                    + 2 * PackKernels.MR + ", got " + nr);
        }
        this.nr = nr;
        this.pack = new ScalarPack(nr);
        this.microKernels = ScalarTile.family(nr);
    }

    @Override
    public String name() {
        return nr == 8 ? "scalar" : "scalar(nr=" + nr + ")";
    }

    @Override
    public ElementwiseKernels elementwise() {
        return ScalarElementwise.INSTANCE;
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
        return ScalarUpdates.INSTANCE;
    }
}
