package dev.nn.optim;

import dev.nn.autograd.Parameter;
import dev.nn.core.Tensor;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gradient clipping, in place on the parameters' gradients, as PyTorch's {@code clip_grad_norm_} and {@code clip_grad_value_}. */
public final class GradClip {

    private static final Logger LOG = LoggerFactory.getLogger(GradClip.class);

    private GradClip() {
    }

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}
     * ({@code g = g·maxNorm/(norm + 1e-6)} when the norm is larger) and returns the norm before
     * clipping, accumulated in double. A non-finite norm is returned and logged, and the gradients
     * are left as they are: scaling by it would turn every gradient into NaN.
     */
    public static double clipGradNorm(List<Parameter> params, float maxNorm) {
        Check.nonNegative("maxNorm", maxNorm);
        double sum = 0;
        for (Parameter p : params) {
            if (p.grad() != null) {
                for (float g : p.grad().toArray()) {
                    sum += (double) g * g;
                }
            }
        }
        double norm = Math.sqrt(sum);
        if (!Double.isFinite(norm)) {
            LOG.warn("clipGradNorm: the gradient norm is {}; gradients left unchanged", norm);
            return norm;
        }
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (Parameter p : params) {
                if (p.grad() != null) {
                    p.grad().scaleInPlace((float) coef);
                }
            }
        }
        return norm;
    }

    /** Clamps every gradient element to {@code [-clip, clip]}; NaN stays NaN. */
    public static void clipGradValue(List<Parameter> params, float clip) {
        Check.nonNegative("clip", clip);
        Tensor lo = Tensor.scalar(-clip);
        Tensor hi = Tensor.scalar(clip);
        for (Parameter p : params) {
            if (p.grad() != null) {
                p.grad().copyInPlace(p.grad().max(lo).min(hi));
            }
        }
    }
}
