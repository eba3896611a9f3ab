package dev.nn.core;

import dev.nn.core.kernel.UpdateKernels;

/**
 * Fused in-place parameter updates: one pass over memory where the same update written with
 * tensor operations would take a dozen and allocate as many temporaries. Each gives the same bits
 * as the unfused operations it documents, on either kernel twin.
 */
public final class Updates {

    private Updates() {
    }

    /**
     * Applies one Adam step in place to parameter {@code p} from gradient {@code g}, updating the
     * moments {@code m}, {@code v} and, when not null, the AMSGrad maximum {@code vmax} (all of
     * {@code p}'s shape), as {@link UpdateKernels#adam} documents; {@code weightDecay} here is the
     * coupled (L2) one, 0 for AdamW. Advances the versions of everything it writes.
     */
    public static void adam(Tensor p, Tensor g, Tensor m, Tensor v, Tensor vmax, float beta1, float beta2,
                            float weightDecay, float stepSize, float bc2Sqrt, float eps) {
        for (Tensor t : new Tensor[] {g, m, v, vmax}) {
            if (t != null && !t.shape.equals(p.shape)) {
                throw new ShapeException("adam: tensor of shape " + t.shape + " does not match parameter " + p.shape);
            }
        }
        Tensor[] all = vmax == null ? new Tensor[] {p, g, m, v} : new Tensor[] {p, g, m, v, vmax};
        Tensor x = vmax == null ? v : vmax;
        UpdateKernels kernels = Backend.current().updates();
        TensorOps.chunked(p.size(), TensorOps.UPDATE_PARALLEL_ELEMENTS, (from, n) -> kernels.adam(p.data,
                p.offset + from, g.data, g.offset + from, m.data, m.offset + from, v.data, v.offset + from,
                vmax == null ? null : x.data, x.offset + from, n, beta1, beta2, weightDecay, stepSize, bc2Sqrt, eps));
        for (Tensor t : all) {
            if (t != g) {
                t.bump();
            }
        }
    }
}
